r"""Regexes and word lists behind the spam signals.

These are ours, not tenants', and run on Python's `re` (`\b` and `\w` must stay Unicode-wide,
which RE2 cannot do), so each is written to take time linear in the text: a match may begin
only where a run of its characters begins (a lookbehind), and an atomic group or possessive
repeat stops retries that cannot succeed. Without that, "1," repeated over 20,000 characters
kept MONEY busy for 12 s, and EMAIL rescanned a long word from each of its letters.
"""

import re

from moderation.ml.rules._literal_trie import literal_trie

SHORTENERS = frozenset(
    """
    adf.ly amzn.to bc.vc bit.ly bitly.com bl.ink buff.ly clck.ru cutt.ly db.tt dlvr.it fb.me
    goo.gl ift.tt is.gd linktr.ee lnkd.in mcaf.ee ow.ly po.st qr.ae rb.gy rebrand.ly s.id
    short.io shorte.st shorturl.at shorturl.com soo.gd su.pr t.co t.ly tiny.cc tiny.one
    tinyurl.com tinyurl.de tr.im trib.al u.to v.gd wp.me x.co youtu.be zpr.io
    """.split()
)
_TLDS = (
    "com|net|org|info|biz|io|co|uk|us|ly|gl|gd|me|tv|xyz|online|site|club|top|link|click|ru|cn"
    "|de|in|to|be|tk|ml|ga|cf|gq|app|shop|store|live|win|vip|cc|ee|at|it|al|ae|st|vc|tt|gy|id"
)
URL_PROBE = re.compile(r"\.[a-zA-Z]{2}|://")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# The local part ends at the "@" from wherever it starts, so only a run's first character is
# worth trying. (Unlike before, an address glued to the previous one, "a@b.c+d@e.f", counts once.)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d \t().-]{6,}\d(?!\w)")
PHONE_MIN_DIGITS = 9
SHORT_CODE_DIGITS = 5
DIGIT = re.compile(r"\d")
WORD = re.compile(r"\w+")
SHORT_CODE = re.compile(
    r"\b(?:txt|text|send|sms|reply|call|dial)\b[^.!?\n\d]{1,25}?\b(\d{5,6})\b", re.IGNORECASE
)
# The second form: whether a currency follows depends only on where the run of digits, commas
# and dots ends, so the run is tried once, from its first digit at a word boundary (group
# "amount" holds the amount as `\b\d` would have found it).
MONEY = re.compile(
    r"[£$€]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|thousand)\b)?"
    r"|(?<![\d,.])(?>[\d,.]*?\b(?=\d))"
    r"(?P<amount>\d[\d,.]*+\s?(?:£|€|usd|gbp|eur|dollars|pounds|euros|bucks|quid)\b)",
    re.IGNORECASE,
)
# Comma-separated; matched case-insensitively at word boundaries.
_PROMO_PHRASES = [
    p.strip()
    for p in """
    free, 100% free, for free, free entry, free gift, click here, click the link, click below,
    click link, link in bio, win, wins, winner, winners, won, winning, prize, prizes,
    cash prize, award, awarded, call now, call free, subscribe, subscribe to my channel,
    please subscribe, sub4sub, sub 4 sub, like and subscribe, my channel, check out my,
    check my, visit my, follow me, follow back, follow my, txt, text stop, reply stop,
    send stop, stop to, opt out, unsubscribe, urgent, claim, claim now, limited time, offer,
    special offer, buy now, order now, discount, cash, guaranteed, congratulations, congrats,
    you have been selected, selected, act now, dm me, earn money, make money,
    work from home, bitcoin, crypto, giveaway, promo code, coupon, ringtone, ringtones,
    voucher, vouchers, bonus, cheap, lowest price, risk free, no cost, apply now, loan,
    investment, double your, hot singles, whatsapp me, contact us, customer service, t&c, t&cs,
    per min, per minute, ppm, new video, check it out, 18+
    """.split(",")
]


# Matched on lowercased text: case-insensitive matching would stop the regex engine from
# skipping positions where no phrase can start.
PROMO = re.compile(literal_trie(sorted(set(_PROMO_PHRASES)), words=True))
# For the rare texts whose lowercase form has another length ("İ"), so spans stay right.
PROMO_ANY_CASE = re.compile(PROMO.pattern, re.IGNORECASE)
PROMO_EXTRA = re.compile(r"\d+\s?%\s?off\b|/min\b", re.IGNORECASE)
REPEATED_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
REPEATED_PROBE = re.compile(r"(.)\1\1", re.DOTALL)
UPPER_ASCII = bytes(range(65, 91))
LETTERS_ASCII = bytes(range(65, 91)) + bytes(range(97, 123))
NOT_LETTER_ASCII = bytes(c for c in range(128) if c not in LETTERS_ASCII)
NOT_UPPER_ASCII = bytes(c for c in range(128) if c not in UPPER_ASCII)
