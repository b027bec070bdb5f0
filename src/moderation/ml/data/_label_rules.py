"""How each dataset's own labels map onto our categories (reasoning: docs/taxonomy.md).

A category is set only where the source's annotation actually decides it; everything else is
left out (unknown) so the trainer masks it instead of learning a false negative.
"""

from collections.abc import Mapping, Sequence

from moderation.ml.data._aliases import HATE, INS, PRO, SEX, SPAM, THR, TOX
from moderation.ml.vocabulary.category import Category

Labels = dict[Category, int]

# Agreement below this share of coders is too weak to train on (Davidson: 3+ CrowdFlower coders).
DAVIDSON_MIN_AGREEMENT = 0.6
# A Davidson non-hate row where this share of coders said "hate" gets hate_speech unknown.
DAVIDSON_HATE_DOUBT = 1 / 3
# EDOS vectors that are hate speech against women; backhanded compliments (3.3), condescending
# advice (3.4) and prejudiced discussion (4.x) are sexist but not hate speech, so unknown.
EDOS_HATE_VECTORS = ("1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2")
TOXIC_SPAN_TYPES: dict[str, Category] = {
    "Insult": INS,
    "Threat": THR,
    "Profane/Obscene": PRO,
    "Identity based Attack": HATE,
}
_CLEAN = (TOX, INS, THR, HATE, SEX)


def davidson(hate: int, offensive: int, neither: int) -> tuple[Labels, float] | None:
    """Labels and agreement weight for one tweet from its coder counts; None if too ambiguous."""
    total = hate + offensive + neither
    top = max(hate, offensive, neither)
    if total == 0 or top / total < DAVIDSON_MIN_AGREEMENT:
        return None
    weight = top / total
    doubt_hate = hate / total >= DAVIDSON_HATE_DOUBT
    if hate == top:
        return {TOX: 1, HATE: 1, SPAM: 0}, weight
    if offensive == top:
        # The "offensive" class is mostly swearing and slurs used casually.
        labels: Labels = {TOX: 1, PRO: 1, SPAM: 0}
    else:
        labels = {TOX: 0, INS: 0, PRO: 0, THR: 0, SEX: 0, SPAM: 0}
    if not doubt_hate:
        labels[HATE] = 0
    return labels, weight


def olid(level_a: str, level_b: str, level_c: str) -> Labels:
    """OLID's hierarchical A/B/C labels."""
    if level_a == "NOT":
        return {TOX: 0, INS: 0, PRO: 0, THR: 0, HATE: 0, SEX: 0, SPAM: 0}
    labels: Labels = {TOX: 1, SPAM: 0}
    if level_b == "UNT":
        labels.update({PRO: 1, INS: 0, THR: 0, HATE: 0})
    elif level_c == "IND":
        labels[INS] = 1  # TIN+IND is mostly insults; threats are a minority, so threat unknown
    elif level_c == "OTH":
        labels[HATE] = 0  # target is an organisation, event or issue, not people
    return labels


def tweeteval_hate(label: int) -> Labels:
    """HatEval: hate against immigrants or women; non-hate tweets are often still offensive."""
    # No toxicity label either way: its negatives are unknown for toxicity, so positives alone
    # would teach the toxicity head that "women" and "immigrants" are toxic words.
    return {HATE: 1, SPAM: 0} if label == 1 else {HATE: 0, SPAM: 0}


def stormfront(label: str) -> Labels | None:
    """Sentence labels; 'relation' (hateful only in context) and 'idk/skip' are dropped."""
    if label == "hate":
        return {TOX: 1, HATE: 1, SPAM: 0}
    if label == "noHate":
        # Mostly plain forum talk that names races and religions: the toxicity negatives that
        # keep identity terms from reading as toxic on their own.
        return {HATE: 0, TOX: 0, SPAM: 0}
    return None


def impermium(insult: int) -> Labels:
    """Insult to a conversation participant (insults aimed at third parties are 0 here)."""
    return {TOX: 1, INS: 1, SPAM: 0} if insult == 1 else {INS: 0, SPAM: 0}


def edos(sexist: bool, category: str, vector: str) -> Labels:
    """EDOS task A/B/C labels. Not-sexist posts get no hate label: see docs/taxonomy.md.

    Toxicity is never set from EDOS: it has no toxicity negatives, and positives alone would
    make "women" a toxic word. Threat and sexual ARE decided for every post (the category and
    vector annotations are exhaustive), which gives those thin heads negatives that mention
    women too.
    """
    labels: Labels = {SPAM: 0, THR: 0, SEX: 0}
    if not sexist:
        return labels
    if vector.startswith(EDOS_HATE_VECTORS):
        labels[HATE] = 1
    if category.startswith("1."):
        labels[THR] = 1
    if vector.startswith("2.3"):
        labels[SEX] = 1  # "dehumanising attacks & overt sexual objectification": noisy positive
    return labels


def toxic_spans(raters: int, marked_by: Mapping[Category, int]) -> Labels:
    """Civil Comments post judged toxic; sub-types from how many raters marked a typed span.

    Positive when at least 2 raters and a quarter of them marked the type (the quarter guards the
    one post rated by 357 workers); negative only when nobody of 3 or more raters marked it.
    """
    labels: Labels = {TOX: 1, SPAM: 0}
    needed = max(2, -(-raters // 4))
    for category in TOXIC_SPAN_TYPES.values():
        count = marked_by.get(category, 0)
        if count >= needed:
            labels[category] = 1
        elif count == 0 and raters >= 3:
            labels[category] = 0
    return labels


def message_spam(is_spam: bool) -> Labels:
    """SMS / YouTube: spam or an ordinary message; neither kind is abusive."""
    labels: Labels = {SPAM: int(is_spam), TOX: 0, INS: 0, THR: 0, HATE: 0}
    if not is_spam:
        labels[SEX] = 0  # spam includes unlabelled adult offers, so only ham is sexual=0
    return labels


def ucc(healthy: bool, hostile: bool, antagonize: bool) -> Labels:
    """UCC attributes: hostile/antagonistic comments are toxic; fully healthy ones are clean."""
    if hostile or antagonize:
        return {TOX: 1, SPAM: 0}
    if healthy:
        return dict.fromkeys((*_CLEAN, SPAM), 0)
    return {SPAM: 0}  # condescending, dismissive, sarcastic: not decided for our categories


# Sources whose hate/threat positives must not imply toxicity=1 (see tweeteval_hate and edos).
NO_IMPLIED_TOXICITY = frozenset({"tweeteval_hate", "edos_sexism"})


def finalise(labels: Labels, imply_toxicity: bool = True) -> Labels:
    """Apply the taxonomy's implications: insult, threat and hate speech are kinds of toxicity."""
    out = dict(labels)
    subtypes = (INS, THR, HATE)
    if imply_toxicity and any(out.get(c) == 1 for c in subtypes):
        if out.get(TOX) == 0:
            del out[TOX]  # contradictory (only after merging duplicates): trust neither
        else:
            out[TOX] = 1
    if out.get(TOX) == 0:
        for category in subtypes:
            out.setdefault(category, 0)
    return out


def merge(all_labels: Sequence[Labels]) -> Labels:
    """Labels of one text seen several times: the union, minus categories they disagree on."""
    seen: dict[Category, set[int]] = {}
    for labels in all_labels:
        for category, value in labels.items():
            seen.setdefault(category, set()).add(value)
    return finalise({c: values.pop() for c, values in seen.items() if len(values) == 1})
