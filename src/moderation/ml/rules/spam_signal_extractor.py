from typing import ClassVar

from moderation.ml.rules import _spam_patterns as p
from moderation.ml.rules.spam_signals import FEATURE_NAMES, SpamSignals

# Below this many letters, a capitals ratio says nothing ("OK", "USA").
_MIN_LETTERS_FOR_CAPS = 6
_MIN_TOKENS_FOR_REPEATS = 3


class SpamSignalExtractor:
    """Counts links, link shorteners, phone numbers, e-mails, promo phrases and money amounts,
    and measures shouting (capitals, "!!!", repeated characters and words).

    `extract` feeds the classifiers; `hits` gives the character spans behind the counts
    (labels: url, shortener, phone, email, promo, money) for explanations.
    """

    FEATURE_NAMES: ClassVar[tuple[str, ...]] = FEATURE_NAMES

    def extract(self, text: str) -> SpamSignals:
        """The spam signals of `text`."""
        if not text:
            return SpamSignals()
        urls = shorteners = emails = 0
        if "." in text:
            for m in p.URL.finditer(text):
                urls += 1
                shorteners += _is_shortener(m.group())
            if "@" in text:
                emails = len(p.EMAIL.findall(text))
        phones = len(self._phones(text)) if any(c.isdigit() for c in text) else 0
        tokens = text.lower().split()
        return SpamSignals(
            url_count=float(urls),
            shortener_count=float(shorteners),
            phone_count=float(phones),
            email_count=float(emails),
            caps_ratio=_caps_ratio(text),
            repeated_char_ratio=_repeated_char_ratio(text),
            repeated_token_ratio=_repeated_token_ratio(tokens),
            promo_phrase_count=float(len(p.PROMO.findall(text))),
            money_count=float(len(p.MONEY.findall(text))),
            exclamation_ratio=min(1.0, text.count("!") / max(1, len(tokens))),
        )

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) spans of links, phone numbers, e-mails, promo phrases, money."""
        found: list[tuple[int, int, str]] = []
        for m in p.URL.finditer(text):
            found.append((m.start(), m.end(), "shortener" if _is_shortener(m.group()) else "url"))
        found += [(m.start(), m.end(), "email") for m in p.EMAIL.finditer(text)]
        found += [(s, e, "phone") for s, e in self._phones(text)]
        found += [(m.start(), m.end(), "promo") for m in p.PROMO.finditer(text)]
        found += [(m.start(), m.end(), "money") for m in p.MONEY.finditer(text)]
        return sorted(set(found))

    @staticmethod
    def _phones(text: str) -> list[tuple[int, int]]:
        spans = [
            m.span()
            for m in p.PHONE.finditer(text)
            if sum(c.isdigit() for c in m.group()) >= p.PHONE_MIN_DIGITS
        ]
        spans += [m.span(1) for m in p.SHORT_CODE.finditer(text)]
        return spans


def _is_shortener(url: str) -> int:
    host = url.lower().split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return int(host in p.SHORTENERS)


def _caps_ratio(text: str) -> float:
    if text.isascii():
        raw = text.encode("ascii")
        letters = len(raw.translate(None, p.NOT_LETTER_ASCII))
        upper = len(raw.translate(None, p.NOT_UPPER_ASCII))
    else:
        letters = sum(c.isalpha() for c in text)
        upper = sum(c.isupper() for c in text)
    return upper / letters if letters >= _MIN_LETTERS_FOR_CAPS else 0.0


def _repeated_char_ratio(text: str) -> float:
    if p.REPEATED_PROBE.search(text) is None:
        return 0.0
    repeated = sum(m.end() - m.start() for m in p.REPEATED_RUN.finditer(text))
    return repeated / len(text)


def _repeated_token_ratio(tokens: list[str]) -> float:
    if len(tokens) < _MIN_TOKENS_FOR_REPEATS:
        return 0.0
    return 1.0 - len(set(tokens)) / len(tokens)
