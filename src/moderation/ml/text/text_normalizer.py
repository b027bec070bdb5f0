from moderation.ml.text import _stages
from moderation.ml.text.normalized_text import _REPEATS as _ANY_REPEATS
from moderation.ml.text.normalized_text import NormalizedText


class TextNormalizer:
    """Undoes the usual disguises of abusive text, keeping a map back to the original.

    Steps, in order: NFKC; folding of Latin look-alikes (Cyrillic/Greek/Armenian letters in
    Latin words, fullwidth and mathematical letters, small capitals); removal of zero-width
    and control characters and diacritics; case folding; leetspeak inside words that have
    letters ("sh1t", not "2024"); joining spaced-out letters ("f.u.c.k"); cutting letter runs
    to two ("fuuuuck" -> "fuuck"); collapsing whitespace.

    Stateless and thread-safe; the Unicode tables are shared by all instances.
    """

    def normalize(self, text: str) -> NormalizedText:
        """Normalise `text`, keeping offsets back to it (for rule hits and spans)."""
        folded, offsets = _stages.fold_unicode(text, track=True)
        decoded = _stages.decode_leet(folded)
        undecoded = folded if decoded != folded else decoded
        current = decoded
        for pattern, cover, may_match in _stages.STAGES:
            if may_match(current):
                current, undecoded, offsets = _stages.rewrite(
                    current, undecoded, offsets, pattern, cover
                )
        current, undecoded, offsets = _stages.strip_ends(current, undecoded, offsets)
        starts, ends = offsets if offsets is not None else (None, None)
        return NormalizedText(text, current, undecoded, starts, ends)

    def normalize_for_features(self, text: str) -> str:
        """The same text as `normalize(text).text`, without the offset bookkeeping."""
        folded, _ = _stages.fold_unicode(text, track=False)
        joined = _stages.join_spaced(_stages.decode_leet(folded))
        return _stages.collapse_spaces(_stages.collapse_repeats(joined))

    @staticmethod
    def squeeze(text: str) -> str:
        """Cut every run of a repeated letter to one, so "fuuck" and "fuck" compare equal."""
        return _ANY_REPEATS.sub(r"\1", text)
