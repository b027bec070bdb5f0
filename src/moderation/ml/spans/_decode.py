"""Token probabilities -> merged character ranges of the original text."""

from collections.abc import Sequence

from moderation.ml.spans._text import WordToken

# Words annotators tend to include inside a toxic phrase ("piece of shit", "son of a ...").
FUNCTION_WORDS = frozenset(
    "a an the of and or to in on for with as at by is are be you your ur such like full".split()
)


def decode_spans(
    text: str,
    tokens: Sequence[WordToken],
    probs: Sequence[float],
    threshold: float,
    floor: float = 1.0,
    join_function_words: bool = False,
) -> list[tuple[int, int]]:
    """Ranges of the tokens with probability >= `threshold`.

    - If none qualifies, the single most probable token is kept when its probability is at least
      `floor`: the tagger only runs on texts already judged harmful, so "nothing" is rarely right.
    - `join_function_words` also marks one function word squeezed between two toxic tokens.
    - Neighbouring toxic tokens separated only by whitespace merge into one range, because
      annotators highlight phrases whole (the spaces count towards span F1).
    """
    toxic = [p >= threshold for p in probs]
    if probs and not any(toxic):
        best = max(range(len(probs)), key=probs.__getitem__)
        toxic[best] = probs[best] >= floor
    if join_function_words:
        for i in range(1, len(tokens) - 1):
            if (
                not toxic[i]
                and toxic[i - 1]
                and toxic[i + 1]
                and tokens[i].text.lower() in FUNCTION_WORDS
            ):
                toxic[i] = True
    ranges: list[tuple[int, int]] = []
    for token, is_toxic in zip(tokens, toxic, strict=True):
        if not is_toxic:
            continue
        if ranges and not text[ranges[-1][1] : token.start].strip():
            ranges[-1] = (ranges[-1][0], token.end)
        else:
            ranges.append((token.start, token.end))
    return ranges
