"""N-gram analyzers and feature hashing, bit-compatible with scikit-learn's HashingVectorizer
(`analyzer="word"` with token pattern `(?u)\\b\\w+\\b`, and `analyzer="char_wb"`; no lowercasing,
`alternate_sign=False`): a signed MurmurHash3 (seed 0) of the UTF-8 n-gram, |h| mod n.

Done here with `mmh3` so that scoring does not import scikit-learn (~0.5 s of every CLI
start-up) and so that indices can be cached per n-gram. Tests check equality with
scikit-learn on real texts.
"""

import re

import mmh3

_TOKEN = re.compile(r"(?u)\b\w+\b")
_INT32_MIN = -2147483648


def hash_index(gram: str, n_features: int) -> int:
    """Bucket of one n-gram, as scikit-learn's FeatureHasher computes it."""
    h: int = mmh3.hash(gram, 0)
    if h == _INT32_MIN:  # abs() would overflow in int32: scikit-learn's special case
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams of `text`, low..high words joined by single spaces."""
    tokens = _TOKEN.findall(text)
    if low == 1:
        grams = list(tokens)
        low = 2
    else:
        grams = []
    count = len(tokens)
    for n in range(low, min(high, count) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(count - n + 1))
    return grams


def char_wb_ngrams(word: str, low: int, high: int) -> list[str]:
    """Character n-grams of one whitespace-free word, padded with a space on each side."""
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if n >= size:
            grams.append(padded)  # a short word counts once, whole (scikit-learn's rule)
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams
