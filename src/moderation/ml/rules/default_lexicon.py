import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.term_rule import RuleAction, RuleKind, TermRule

LEXICONS = ("profanity", "sexual", "slurs", "threats", "hate", "insults", "allow", "idioms")
_SLUG = re.compile(r"[^a-z0-9]+")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str
    id: str | None = None
    kind: RuleKind | None = None
    action: RuleAction | None = None
    reclaimable: bool = False


class _Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    category: Category
    action: RuleAction
    reason: str
    entries: list[str | _Entry]


class DefaultLexicon:
    """The built-in term rules, read from the JSON lexicons shipped in this package.

    Profanity, sexual terms, identity-based slurs (category hate_speech; some marked
    reclaimable, since in-group use is common and often not hateful), threat regexes
    (explicit and veiled), dehumanising and coded hateful phrasings about groups, profanity
    aimed at someone ("you absolute cunt", "fuck you"; category insult, so it acts even where
    untargeted swearing does not), an
    allow-list of innocent words that contain or resemble listed terms, and an allow-list of
    idioms whose violent words threaten no one ("I'd kill for a slice"), so the models do not
    read them as threats. Every block rule flags; policies decide whether a category
    rejects. Rule ids are `<lexicon>:<slug>`.
    """

    def __init__(self, names: Sequence[str] = LEXICONS) -> None:
        unknown = set(names) - set(LEXICONS)
        if unknown:
            raise ValueError(f"unknown lexicons: {sorted(unknown)}; known: {LEXICONS}")
        self.names = tuple(names)

    def rules(self) -> list[TermRule]:
        """All rules of the selected lexicons, in file order."""
        return [rule for name in self.names for rule in _load(name)[0]]

    def reclaimable_ids(self) -> frozenset[str]:
        """Ids of slur rules marked reclaimable (in-group use is common)."""
        return frozenset(i for name in self.names for i in _load(name)[1])


@cache
def _load(name: str) -> tuple[tuple[TermRule, ...], frozenset[str]]:
    raw = (resources.files("moderation.ml.rules") / "lexicons" / f"{name}.json").read_text("utf-8")
    lexicon = _Lexicon.model_validate_json(raw)
    rules: list[TermRule] = []
    reclaimable: set[str] = set()
    for item in lexicon.entries:
        entry = _Entry(pattern=item) if isinstance(item, str) else item
        kind = entry.kind or ("phrase" if " " in entry.pattern else "word")
        rule_id = f"{lexicon.name}:{entry.id or _SLUG.sub('_', entry.pattern.lower())}"
        rules.append(
            TermRule(
                id=rule_id,
                pattern=entry.pattern,
                kind=kind,
                category=lexicon.category,
                action=entry.action or lexicon.action,
                reason=lexicon.reason,
            )
        )
        if entry.reclaimable:
            reclaimable.add(rule_id)
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ValueError(f"lexicon {name} has duplicate rule ids")
    return tuple(rules), frozenset(reclaimable)
