import re
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
        lower = text.lower()
        urls = shorteners = emails = phones = money = 0
        if p.URL_PROBE.search(text) is not None:
            for m in p.URL.finditer(text):
                urls += 1
                shorteners += _is_shortener(m.group())
            if "@" in text:
                emails = len(p.EMAIL.findall(text))
        digits = len(p.DIGIT.findall(text))
        if digits:
            money = sum(1 for _ in p.MONEY.finditer(text))
            if digits >= p.SHORT_CODE_DIGITS:
                phones = len(_phones(text))
        tokens = p.WORD.findall(lower)
        return SpamSignals(
            url_count=float(urls),
            shortener_count=float(shorteners),
            phone_count=float(phones),
            email_count=float(emails),
            caps_ratio=_caps_ratio(text),
            repeated_char_ratio=_repeated_char_ratio(text),
            repeated_token_ratio=_repeated_token_ratio(tokens),
            promo_phrase_count=float(len(_promos(text, lower))),
            money_count=float(money),
            exclamation_ratio=min(1.0, text.count("!") / max(1, len(tokens))),
        )

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) spans of links, phone numbers, e-mails, promo phrases, money."""
        found: list[tuple[int, int, str]] = []
        for m in p.URL.finditer(text):
            found.append((m.start(), m.end(), "shortener" if _is_shortener(m.group()) else "url"))
        found += [(m.start(), m.end(), "email") for m in p.EMAIL.finditer(text)]
        found += [(s, e, "phone") for s, e in _phones(text)]
        found += [(s, e, "promo") for s, e in _promos(text, text.lower())]
        found += [(*_money_span(m), "money") for m in p.MONEY.finditer(text)]
        return sorted(set(found))


def _phones(text: str) -> list[tuple[int, int]]:
    spans = [
        m.span()
        for m in p.PHONE.finditer(text)
        if len(p.DIGIT.findall(m.group())) >= p.PHONE_MIN_DIGITS
    ]
    spans += [m.span(1) for m in p.SHORT_CODE.finditer(text)]
    return spans


def _promos(text: str, lower: str) -> list[tuple[int, int]]:
    pattern = p.PROMO if len(lower) == len(text) else p.PROMO_ANY_CASE
    spans = [m.span() for m in pattern.finditer(lower if pattern is p.PROMO else text)]
    if "%" in lower or "/min" in lower:
        spans += [m.span() for m in p.PROMO_EXTRA.finditer(text)]
    return spans


def _money_span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("amount") if match.group("amount") is not None else match.span()


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
