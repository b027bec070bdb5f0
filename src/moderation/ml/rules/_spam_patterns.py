"""Regexes and word lists behind the spam signals."""

import re

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
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d \t().-]{6,}\d(?!\w)")
PHONE_MIN_DIGITS = 9
SHORT_CODE = re.compile(
    r"\b(?:txt|text|send|sms|reply|call|dial)\b[^.!?\n\d]{1,25}?\b(\d{5,6})\b", re.IGNORECASE
)
MONEY = re.compile(
    r"[£$€]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|thousand)\b)?"
    r"|\b\d[\d,.]*\s?(?:£|€|usd|gbp|eur|dollars|pounds|euros|bucks|quid)\b",
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


class _Trie(dict[str, "_Trie"]):
    """Character trie; the key "" marks the end of a word."""


def _literal_trie(words: list[str]) -> str:
    """A prefix-sharing regex for literal `words`; longer words win at the same start."""
    root = _Trie()
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, _Trie())
        node[""] = _Trie()
    return _emit(root)


def _emit(node: _Trie) -> str:
    branches = [re.escape(c) + _emit(child) for c, child in node.items() if c]
    if "" in node:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


PROMO = re.compile(
    r"(?<!\w)" + _literal_trie(sorted(set(_PROMO_PHRASES))) + r"(?!\w)|(?<=\d)\s?%\s?off\b|/min\b",
    re.IGNORECASE,
)
REPEATED_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
REPEATED_PROBE = re.compile(r"(.)\1\1", re.DOTALL)
UPPER_ASCII = bytes(range(65, 91))
LETTERS_ASCII = bytes(range(65, 91)) + bytes(range(97, 123))
NOT_LETTER_ASCII = bytes(c for c in range(128) if c not in LETTERS_ASCII)
NOT_UPPER_ASCII = bytes(c for c in range(128) if c not in UPPER_ASCII)
