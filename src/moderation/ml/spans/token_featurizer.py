"""Hashed per-token features for the span tagger (stateless: the config is all there is)."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

import mmh3
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from moderation.ml.spans._text import deobfuscate, normalize

_MASK_CHARS = frozenset("*$@^#!")
# A neighbour slot past either end of the text; raw tokens never contain "<", so no clash.
BOUNDARY = "<s>"
_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class TokenFeaturizer:
    """Turns a word token (and its neighbours) into hashed sparse features.

    A token's feature set is the union of its OWN features (forms, char n-grams, affixes, shape)
    and, for each relative position k in [-window, window] \\ {0}, the CONTEXT features the
    neighbour at k contributes. Because the model on top is linear, a token's score splits into
    one term per slot, and each term depends on a single raw token: the tagger caches them.
    """

    n_features: int = 2**19
    ngram_min: int = 2
    ngram_max: int = 5
    window: int = 2

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """Slot order used everywhere: 0 (own) then -window..-1, 1..window."""
        return (0, *range(-self.window, 0), *range(1, self.window + 1))

    def own_features(self, raw: str) -> list[str]:
        """Features of the token itself."""
        if raw == BOUNDARY:
            return []
        norm = normalize(raw)
        return self._own(raw, norm, deobfuscate(norm))

    def _own(self, raw: str, norm: str, deob: str) -> list[str]:
        feats = [f"w={norm}", f"d={deob}"]
        padded = f"<{deob}>"
        for n in range(self.ngram_min, self.ngram_max + 1):
            feats.extend(f"g={padded[i : i + n]}" for i in range(len(padded) - n + 1))
        feats.extend(f"p{n}={norm[:n]}" for n in (2, 3) if len(norm) > n)
        feats.extend(f"s{n}={norm[-n:]}" for n in (2, 3, 4) if len(norm) > n)
        if len(raw) > 1 and raw.isupper():
            feats.append("shape=caps")
        elif raw[:1].isupper():
            feats.append("shape=title")
        if "*" in raw:
            feats.append("shape=star")
        if any(ch in _MASK_CHARS for ch in raw):
            feats.append("shape=mask")
        if any(ch.isdigit() for ch in raw):
            feats.append("shape=digit")
        feats.append(f"len={min(len(norm), 12)}")
        return feats

    def context_features(self, raw: str, offset: int) -> list[str]:
        """Features a token contributes to the token `offset` positions away from it."""
        if raw == BOUNDARY:
            return [f"c{offset}=<s>"]
        norm = normalize(raw)
        return [f"c{offset}={norm}", f"cd{offset}={deobfuscate(norm)}"]

    def slot_features(self, raw: str) -> list[list[str]]:
        """One feature list per slot (see `offsets`) for the raw token."""
        if raw == BOUNDARY:
            return [self.own_features(raw)] + [
                self.context_features(raw, k) for k in self.offsets[1:]
            ]
        # Same features as own_features/context_features, normalising only once (hot path).
        norm = normalize(raw)
        deob = deobfuscate(norm)
        return [self._own(raw, norm, deob)] + [
            [f"c{k}={norm}", f"cd{k}={deob}"] for k in self.offsets[1:]
        ]

    def token_features(self, raws: Sequence[str]) -> list[list[str]]:
        """Full feature list of every token of one text (own + neighbours' context features)."""
        padded = [BOUNDARY] * self.window + list(raws) + [BOUNDARY] * self.window
        rows = []
        for i in range(len(raws)):
            centre = i + self.window
            feats = self.own_features(padded[centre])
            for k in self.offsets[1:]:
                feats.extend(self.context_features(padded[centre + k], k))
            rows.append(feats)
        return rows

    def hash(self, rows: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Stateless hashing of feature lists into a (len(rows), n_features) sparse matrix."""
        # Training only: imported here so that scoring never loads scikit-learn.
        from sklearn.feature_extraction import FeatureHasher

        hasher = FeatureHasher(
            n_features=self.n_features, input_type="string", dtype=np.float32, alternate_sign=True
        )
        matrix: sp.csr_matrix = hasher.transform(rows)
        return matrix

    def slot_scores(self, raws: Sequence[str], coef: NDArray[np.float32]) -> NDArray[np.float64]:
        """(len(raws), n_slots) linear terms `coef . hashed(slot features)` of each raw token.

        Hashes exactly like `hash` (sklearn's FeatureHasher: signed MurmurHash3 of the UTF-8
        feature, seed 0, |h| mod n_features, sign of h), but feature by feature: FeatureHasher
        costs ~0.1 ms per call even for one token, more than the whole per-text budget.
        """
        n = self.n_features
        indices: list[int] = []
        signs: list[float] = []
        rows: list[int] = []
        row = 0
        for raw in raws:
            for feats in self.slot_features(raw):
                for feat in feats:
                    h = int(mmh3.hash(feat, 0))
                    indices.append(abs(h) % n if h != _INT32_MIN else (_INT32_MAX - (n - 1)) % n)
                    signs.append(1.0 if h >= 0 else -1.0)
                    rows.append(row)
                row += 1
        weights = coef[np.asarray(indices, dtype=np.intp)] * np.asarray(signs)
        sums = np.bincount(np.asarray(rows, dtype=np.intp), weights=weights, minlength=row)
        out = np.asarray(sums, dtype=np.float64).reshape(len(raws), len(self.offsets))
        return out

    def to_config(self) -> dict[str, Any]:
        """JSON-able config; `from_config` rebuilds an identical featurizer."""
        return {"kind": "sklearn.FeatureHasher", "alternate_sign": True, **asdict(self)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "TokenFeaturizer":
        """Inverse of `to_config`."""
        expected = {"kind": "sklearn.FeatureHasher", "alternate_sign": True}
        if any(config.get(key) != value for key, value in expected.items()):
            raise ValueError(f"unsupported hashing config {config!r}")
        return cls(
            n_features=int(config["n_features"]),
            ngram_min=int(config["ngram_min"]),
            ngram_max=int(config["ngram_max"]),
            window=int(config["window"]),
        )
