"""Request and response bodies of the Perspective-API-compatible endpoint."""

from moderation.api.schemas.perspective.analyze_comment_request import AnalyzeCommentRequest
from moderation.api.schemas.perspective.analyze_comment_response import AnalyzeCommentResponse
from moderation.api.schemas.perspective.attribute_scores import AttributeScores
from moderation.api.schemas.perspective.comment import Comment
from moderation.api.schemas.perspective.requested_attribute import RequestedAttribute
from moderation.api.schemas.perspective.score import Score
from moderation.api.schemas.perspective.span_score import SpanScore
from moderation.api.schemas.perspective.suggest_comment_score_request import (
    SuggestCommentScoreRequest,
)
from moderation.api.schemas.perspective.suggest_comment_score_response import (
    SuggestCommentScoreResponse,
)

__all__ = [
    "AnalyzeCommentRequest",
    "AnalyzeCommentResponse",
    "AttributeScores",
    "Comment",
    "RequestedAttribute",
    "Score",
    "SpanScore",
    "SuggestCommentScoreRequest",
    "SuggestCommentScoreResponse",
]
