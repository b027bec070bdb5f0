import re
from collections.abc import Iterable

from moderation.api.schemas.perspective import (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    AttributeScores,
    Score,
    SpanScore,
)
from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Category, ModerationResult, Span

SEVERE_TOXICITY = "SEVERE_TOXICITY"

# Perspective attribute -> the engine category it reads directly.
_DIRECT: dict[str, Category] = {
    "TOXICITY": Category.TOXICITY,
    "INSULT": Category.INSULT,
    "PROFANITY": Category.PROFANITY,
    "THREAT": Category.THREAT,
    "IDENTITY_ATTACK": Category.HATE_SPEECH,
    "SEXUALLY_EXPLICIT": Category.SEXUAL,
    "SPAM": Category.SPAM,
}
# Categories whose flagged spans also explain a toxicity or severe-toxicity score: Perspective's
# TOXICITY is the umbrella its INSULT, THREAT, IDENTITY_ATTACK and PROFANITY are kinds of, and
# the engine often blames the words of an insult under `insult` alone.
_TOXIC_PARTS = (
    Category.TOXICITY,
    Category.THREAT,
    Category.HATE_SPEECH,
    Category.INSULT,
    Category.PROFANITY,
)
# A sentence ends at . ! ? or a line break; the whitespace after it stays with it, so the
# segments tile the text with no gaps, as Perspective's sentence spans do.
_SEGMENT_END = re.compile(r"(?:[.!?]+|\n)\s*")


class PerspectiveMapper:
    """Translates engine results into Perspective `comments:analyze` responses.

    Scores are the engine's calibrated per-category probabilities under Perspective's
    attribute names. SEVERE_TOXICITY has no engine category of its own; see `severe_toxicity`.
    """

    def attributes(self) -> list[str]:
        """The attribute names this endpoint accepts, in Perspective's spelling."""
        return [*_DIRECT, SEVERE_TOXICITY]

    def check(self, request: AnalyzeCommentRequest) -> None:
        """Reject unknown attribute names before any scoring work is done."""
        self.check_names(request.requested_attributes, "requestedAttributes")

    def check_names(self, names: Iterable[str], field: str) -> None:
        """Reject attribute names this service does not score, naming them and the supported
        ones in the message (Perspective's own client shows only the message)."""
        supported = self.attributes()
        unknown = sorted(set(names) - set(supported))
        if not unknown:
            return
        # A name is the client's own string: only the first few, and a bounded prefix of each,
        # go into the message.
        shown = [name if len(name) <= 64 else f"{name[:61]}..." for name in unknown[:5]]
        listed = ", ".join(shown) + (", ..." if len(unknown) > len(shown) else "")
        subject = (
            f"Attribute {listed} does not" if len(unknown) == 1 else f"Attributes {listed} do not"
        )
        raise InvalidRequestError(
            f"{subject} exist. Supported attributes: {', '.join(supported)}.",
            extra={
                "unsupported": shown,
                "supported": supported,
                "errors": [
                    {
                        "field": f"body.{field}.{name}",
                        "location": ["body", field, name],
                        "message": "unknown attribute",
                        "type": "unknown_attribute",
                    }
                    for name in shown
                ],
            },
        )

    def model_scores(self, names: Iterable[str], result: ModerationResult) -> dict[str, float]:
        """This service's summary score for each of `names` it can score (those the deployed
        model has no category for are left out)."""
        scores: dict[str, float] = {}
        for name in names:
            if name == SEVERE_TOXICITY:
                scores[name] = self.severe_toxicity(result.scores)
            elif name in _DIRECT and _DIRECT[name] in result.scores:
                scores[name] = result.scores[_DIRECT[name]]
        return scores

    @staticmethod
    def detected_languages(result: ModerationResult) -> list[str]:
        """Perspective's `detectedLanguages`: the engine's language, none when undetermined."""
        return [] if result.language == "und" else [result.language]

    def to_response(
        self, request: AnalyzeCommentRequest, result: ModerationResult
    ) -> AnalyzeCommentResponse:
        """Build the response for `request` from the engine's result on its text."""
        self.check(request)
        text = request.comment.text
        # The engine may truncate very long texts; spans never pass the scored prefix, but the
        # whole-text span must cover what the client sent.
        length = len(text)
        scores: dict[str, AttributeScores] = {}
        for name, options in request.requested_attributes.items():
            value = self._summary(name, result)
            if options.score_threshold is not None and value < options.score_threshold:
                continue
            if request.span_annotations:
                spans = _segment_scores(text, value, _flagged(result.spans, _categories(name)))
            else:
                spans = [SpanScore(begin=0, end=length, score=Score(value=value))]
            scores[name] = AttributeScores(summary_score=Score(value=value), span_scores=spans)
        detected = self.detected_languages(result)
        return AnalyzeCommentResponse(
            attribute_scores=scores,
            languages=request.languages or detected,
            detected_languages=detected,
            client_token=request.client_token,
        )

    @staticmethod
    def severe_toxicity(scores: dict[Category, float]) -> float:
        """Derived SEVERE_TOXICITY: toxicity × max(threat, hate, insult, toxicity × profanity).

        Perspective describes severe toxicity as very hateful, aggressive or abusive text and
        says it is much less sensitive than TOXICITY to mild rudeness and to friendly uses of
        curse words. The product needs two independent signals to agree: the text is toxic AND
        it carries one of the aggravating harms. Consequences:

        - it never exceeds TOXICITY (every factor is ≤ 1), and is ~0 for benign text;
        - mild rudeness (toxicity 0.6, insult 0.5) lands at 0.3, below usual thresholds;
        - hate or threats with high toxicity (0.95 × 0.9) land near 0.86;
        - profanity counts only as toxicity × profanity, so "fucking awesome" (toxicity 0.5,
          profanity 0.95) gives 0.5 × 0.475 ≈ 0.24, while profane abuse (toxicity 0.95,
          insult 0.9) gives ≈ 0.86.
        """
        toxicity = scores.get(Category.TOXICITY, 0.0)
        aggravation = max(
            scores.get(Category.THREAT, 0.0),
            scores.get(Category.HATE_SPEECH, 0.0),
            scores.get(Category.INSULT, 0.0),
            toxicity * scores.get(Category.PROFANITY, 0.0),
        )
        return round(toxicity * aggravation, 4)

    def _summary(self, name: str, result: ModerationResult) -> float:
        if name == SEVERE_TOXICITY:
            return self.severe_toxicity(result.scores)
        category = _DIRECT[name]
        if category not in result.scores:
            raise InvalidRequestError(
                f"Attribute {name} is not scored by the deployed model.",
                extra={"unsupported": [name], "supported": self.attributes()},
            )
        return result.scores[category]


def _categories(name: str) -> frozenset[Category]:
    if name in (SEVERE_TOXICITY, "TOXICITY"):
        return frozenset(_TOXIC_PARTS)
    return frozenset({_DIRECT[name]})


def _flagged(spans: Iterable[Span], categories: frozenset[Category]) -> list[Span]:
    return [span for span in spans if span.category in categories]


def _segments(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    begin = 0
    for match in _SEGMENT_END.finditer(text):
        if match.end() > begin:
            bounds.append((begin, match.end()))
            begin = match.end()
    if begin < len(text):
        bounds.append((begin, len(text)))
    return bounds


def _segment_scores(text: str, value: float, flagged: list[Span]) -> list[SpanScore]:
    """One score per sentence: the summary where the engine located the harm, else 0.

    The engine has one probability per text, not per sentence, but it does say which
    characters triggered a category. Sentences holding such characters carry the summary;
    the others carried none of the triggering evidence and score 0, so clients that highlight
    high-scoring spans highlight the right sentences. With nothing located (the category did
    not trigger, or the text was approved) a single whole-text span carries the summary.
    """
    if not flagged:
        return [SpanScore(begin=0, end=len(text), score=Score(value=value))]
    scored: list[SpanScore] = []
    for begin, end in _segments(text):
        hit = any(span.start < end and span.end > begin for span in flagged)
        scored.append(SpanScore(begin=begin, end=end, score=Score(value=value if hit else 0.0)))
    return scored
