import os

from moderation.ml.text import _obfuscation, _stages
from moderation.ml.text.normalized_text import _REPEATS as _ANY_REPEATS
from moderation.ml.text.normalized_text import NormalizedText

# Turns obfuscation repair off for normalisers built without an explicit `repair`, so a
# benchmark can compare a whole engine with and without it; not a production setting.
REPAIR_ENV = "MODERATION_NORMALIZER_REPAIR"


class TextNormalizer:
    """Undoes the usual disguises of abusive text, keeping a map back to the original.

    Steps, in order: NFKC; folding of Latin look-alikes (Cyrillic/Greek/Armenian letters in
    Latin words, fullwidth and mathematical letters, small capitals); removal of zero-width
    and control characters and diacritics; case folding; leetspeak inside words that have
    letters ("sh1t", not "2024"); masked letters of abuse words ("f*ck", "b#tch", "@ss");
    joining spaced-out letters ("f.u.c.k", and "f * c k" with a mask for a letter); cutting
    letter runs to two ("fuuuuck" -> "fuuck"); collapsing whitespace; misspelt abuse words
    ("fcuk", "stupd", "biatch").

    Masks and misspellings are repaired only towards the built-in lexicon's words and common
    insults, and never in a known word ("cut", "duck", "5*", "a*b", "**bold**" stay). `repair`
    False skips those steps; None (default) reads `MODERATION_NORMALIZER_REPAIR` ("0" turns
    them off), so benchmarks can compare engines built without arguments.

    Stateless and thread-safe; the Unicode tables and word lists are shared by all instances.
    """

    def __init__(self, repair: bool | None = None) -> None:
        if repair is None:
            repair = os.environ.get(REPAIR_ENV, "1").strip().lower() not in ("0", "false", "no")
        self.repair = repair
        self._stages = _stages.REPAIRING_STAGES if repair else _stages.STAGES

    def normalize(self, text: str) -> NormalizedText:
        """Normalise `text`, keeping offsets back to it (for rule hits and spans)."""
        folded, offsets = _stages.fold_unicode(text, track=True)
        decoded = _stages.decode_leet(folded)
        undecoded = folded if decoded != folded else decoded
        if self.repair:
            decoded, undecoded = _obfuscation.unmask(decoded, undecoded)
        current = decoded
        for pattern, cover, may_match in self._stages:
            if may_match(current):
                current, undecoded, offsets = _stages.rewrite(
                    current, undecoded, offsets, pattern, cover
                )
        current, undecoded, offsets = _stages.strip_ends(current, undecoded, offsets)
        if self.repair:
            current, undecoded, offsets = _stages.repair_edits(current, undecoded, offsets)
        starts, ends = offsets if offsets is not None else (None, None)
        return NormalizedText(text, current, undecoded, starts, ends)

    def normalize_for_features(self, text: str) -> str:
        """The same text as `normalize(text).text`, without the offset bookkeeping."""
        folded, _ = _stages.fold_unicode(text, track=False)
        decoded = _stages.decode_leet(folded)
        if self.repair:
            decoded = _obfuscation.unmask(decoded, folded)[0]
        joined = _stages.join_spaced(decoded, self.repair)
        collapsed = _stages.collapse_spaces(_stages.collapse_repeats(joined))
        return _obfuscation.repair_edits(collapsed) if self.repair else collapsed

    @staticmethod
    def squeeze(text: str) -> str:
        """Cut every run of a repeated letter to one, so "fuuck" and "fuck" compare equal."""
        return _ANY_REPEATS.sub(r"\1", text)
