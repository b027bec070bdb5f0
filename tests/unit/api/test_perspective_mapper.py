from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from moderation.api.perspective import PerspectiveMapper
from moderation.api.schemas.perspective import (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    AttributeScores,
    Comment,
    RequestedAttribute,
    Score,
    SpanScore,
)
from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Category, ModerationResult
from moderation.domain.policy import ModerationPolicy
from moderation.ml.engine import Engine

BENIGN = "Thanks for the helpful answer, have a great day."
THREAT = "Nice weather today.\nI will kill you, you idiot.\nBye"
INSULT = "What a lovely morning. You are a stupid idiot! See you later."
ABUSE = "You are a stupid idiot and I will kill you."
TEXTS = [BENIGN, THREAT, INSULT, ABUSE]

DIRECT = {
    "TOXICITY": Category.TOXICITY,
    "INSULT": Category.INSULT,
    "PROFANITY": Category.PROFANITY,
    "THREAT": Category.THREAT,
    "IDENTITY_ATTACK": Category.HATE_SPEECH,
    "SEXUALLY_EXPLICIT": Category.SEXUAL,
    "SPAM": Category.SPAM,
}
ALL = [*DIRECT, "SEVERE_TOXICITY"]


@pytest.fixture(scope="module")
def results(tiny_model_dir: Path) -> dict[str, ModerationResult]:
    scored = Engine.load(tiny_model_dir).score(TEXTS, ModerationPolicy())
    return dict(zip(TEXTS, scored, strict=True))


def request(text: str, *names: str, **extra: object) -> AnalyzeCommentRequest:
    return AnalyzeCommentRequest.model_validate(
        {"comment": {"text": text}, "requestedAttributes": {n: {} for n in names}, **extra}
    )


mapper = PerspectiveMapper()


def test_attributes_are_perspective_names() -> None:
    assert sorted(mapper.attributes()) == sorted(ALL)


@pytest.mark.parametrize(("name", "category"), DIRECT.items())
def test_direct_attribute_reads_its_category(
    results: dict[str, ModerationResult], name: str, category: Category
) -> None:
    result = results[ABUSE]
    response = mapper.to_response(request(ABUSE, name), result)
    assert list(response.attribute_scores) == [name]
    summary = response.attribute_scores[name].summary_score
    assert summary.value == result.scores[category]
    assert summary.type == "PROBABILITY"


def test_all_attributes_in_one_request(results: dict[str, ModerationResult]) -> None:
    response = mapper.to_response(request(ABUSE, *ALL), results[ABUSE])
    assert set(response.attribute_scores) == set(ALL)


def test_threshold_omits_attributes_below_it(results: dict[str, ModerationResult]) -> None:
    result = results[ABUSE]
    threat, sexual = result.scores[Category.THREAT], result.scores[Category.SEXUAL]
    # Thresholds either side of the model's own scores: the test is of the mapping, not of how
    # sure the tiny model is.
    assert threat > sexual
    cut = round((threat + sexual) / 2, 4)
    body = {
        "comment": {"text": ABUSE},
        "requestedAttributes": {
            "THREAT": {"scoreThreshold": cut},
            "SEXUALLY_EXPLICIT": {"scoreThreshold": cut},
            "SPAM": {},
        },
    }
    response = mapper.to_response(AnalyzeCommentRequest.model_validate(body), result)
    assert threat >= cut > sexual
    # No threshold keeps even a near-zero score.
    assert set(response.attribute_scores) == {"THREAT", "SPAM"}


def test_threshold_equal_to_score_keeps_attribute(results: dict[str, ModerationResult]) -> None:
    result = results[ABUSE]
    value = result.scores[Category.INSULT]
    body = {
        "comment": {"text": ABUSE},
        "requestedAttributes": {"INSULT": {"scoreThreshold": value}},
    }
    response = mapper.to_response(AnalyzeCommentRequest.model_validate(body), result)
    assert "INSULT" in response.attribute_scores


def test_without_span_annotations_one_span_covers_the_text(
    results: dict[str, ModerationResult],
) -> None:
    response = mapper.to_response(request(THREAT, "THREAT", "TOXICITY"), results[THREAT])
    for scores in response.attribute_scores.values():
        assert scores.span_scores is not None
        [span] = scores.span_scores
        assert (span.begin, span.end) == (0, len(THREAT))
        assert span.score == scores.summary_score


def test_span_annotations_score_the_sentence_holding_the_threat(
    results: dict[str, ModerationResult],
) -> None:
    response = mapper.to_response(request(THREAT, "THREAT", spanAnnotations=True), results[THREAT])
    scores = response.attribute_scores["THREAT"]
    assert scores.span_scores is not None
    segments = [(THREAT[s.begin : s.end], s.score.value) for s in scores.span_scores]
    assert segments == [
        ("Nice weather today.\n", 0.0),
        ("I will kill you, you idiot.\n", scores.summary_score.value),
        ("Bye", 0.0),
    ]


def test_span_offsets_tile_the_text(results: dict[str, ModerationResult]) -> None:
    for text, result in results.items():
        response = mapper.to_response(request(text, *ALL, spanAnnotations=True), result)
        for scores in response.attribute_scores.values():
            assert scores.span_scores is not None
            bounds = [(s.begin, s.end) for s in scores.span_scores]
            assert all(0 <= b < e <= len(text) for b, e in bounds)
            assert "".join(text[b:e] for b, e in bounds) == text
            assert max(s.score.value for s in scores.span_scores) == scores.summary_score.value


def test_insult_sentence_spans(results: dict[str, ModerationResult]) -> None:
    response = mapper.to_response(request(INSULT, "INSULT", spanAnnotations=True), results[INSULT])
    spans = response.attribute_scores["INSULT"].span_scores
    assert spans is not None
    by_text = {INSULT[s.begin : s.end].strip(): s.score.value for s in spans}
    assert by_text["What a lovely morning."] == 0.0
    assert by_text["You are a stupid idiot!"] == results[INSULT].scores[Category.INSULT]


def test_toxicity_spans_locate_the_insult(results: dict[str, ModerationResult]) -> None:
    # TOXICITY is the umbrella: the words the engine blamed as an insult are toxic too.
    response = mapper.to_response(
        request(INSULT, "TOXICITY", spanAnnotations=True), results[INSULT]
    )
    spans = response.attribute_scores["TOXICITY"].span_scores
    assert spans is not None
    by_text = {INSULT[s.begin : s.end].strip(): s.score.value for s in spans}
    assert by_text["What a lovely morning."] == 0.0
    assert by_text["You are a stupid idiot!"] == results[INSULT].scores[Category.TOXICITY]


def test_approved_text_gets_a_whole_text_span(results: dict[str, ModerationResult]) -> None:
    benign = request(BENIGN, "TOXICITY", spanAnnotations=True)
    response = mapper.to_response(benign, results[BENIGN])
    spans = response.attribute_scores["TOXICITY"].span_scores
    assert spans is not None
    assert [(s.begin, s.end) for s in spans] == [(0, len(BENIGN))]


def test_severe_toxicity_bounded_by_toxicity(results: dict[str, ModerationResult]) -> None:
    for text, result in results.items():
        response = mapper.to_response(request(text, "TOXICITY", "SEVERE_TOXICITY"), result)
        severe = response.attribute_scores["SEVERE_TOXICITY"].summary_score.value
        assert 0.0 <= severe <= response.attribute_scores["TOXICITY"].summary_score.value


def test_severe_toxicity_low_for_benign_high_for_threats(
    results: dict[str, ModerationResult],
) -> None:
    def severe(text: str) -> float:
        response = mapper.to_response(request(text, "SEVERE_TOXICITY"), results[text])
        return response.attribute_scores["SEVERE_TOXICITY"].summary_score.value

    assert severe(BENIGN) < 0.01
    assert severe(ABUSE) > 0.7


def test_severe_toxicity_discounts_friendly_swearing() -> None:
    mild = {Category.TOXICITY: 0.5, Category.PROFANITY: 0.95, Category.INSULT: 0.05}
    hateful = {Category.TOXICITY: 0.95, Category.HATE_SPEECH: 0.9}
    assert mapper.severe_toxicity(mild) == pytest.approx(0.2375)
    assert mapper.severe_toxicity(hateful) == pytest.approx(0.855)
    assert mapper.severe_toxicity({}) == 0.0


def test_unknown_attribute_rejected_with_supported_names(
    results: dict[str, ModerationResult],
) -> None:
    bad = request(ABUSE, "TOXICITY", "LIKELY_TO_REJECT", "toxicity")
    with pytest.raises(InvalidRequestError) as caught:
        mapper.check(bad)
    with pytest.raises(InvalidRequestError):
        mapper.to_response(bad, results[ABUSE])
    detail = str(caught.value)
    assert "LIKELY_TO_REJECT" in detail
    assert "toxicity" in detail
    assert all(name in detail for name in ALL)
    assert caught.value.status == 422
    assert caught.value.extra["supported"] == mapper.attributes()


def test_languages_echo_request_else_detected(results: dict[str, ModerationResult]) -> None:
    result = results[ABUSE]
    detected = mapper.to_response(request(ABUSE, "TOXICITY"), result)
    assert detected.languages == detected.detected_languages == [result.language]
    given = mapper.to_response(request(ABUSE, "TOXICITY", languages=["de"]), result)
    assert given.languages == ["de"]
    assert given.detected_languages == [result.language]


def test_client_token_echoed_and_camel_case_on_the_wire(
    results: dict[str, ModerationResult],
) -> None:
    comment_id = "comment-42"
    response = mapper.to_response(
        request(ABUSE, "TOXICITY", clientToken=comment_id, spanAnnotations=True), results[ABUSE]
    )
    assert response.client_token == comment_id
    wire = response.model_dump(by_alias=True)
    assert set(wire) == {"attributeScores", "languages", "detectedLanguages", "clientToken"}
    assert set(wire["attributeScores"]["TOXICITY"]) == {"summaryScore", "spanScores"}
    assert set(response.model_dump()) == set(wire)
    parsed = AnalyzeCommentResponse.model_validate_json(response.model_dump_json())
    assert parsed == response


def test_request_accepts_camel_case_and_perspective_extras() -> None:
    parsed = AnalyzeCommentRequest.model_validate(
        {
            "comment": {"text": "hello", "type": "PLAIN_TEXT"},
            "requestedAttributes": {"TOXICITY": {"scoreType": "PROBABILITY"}},
            "doNotStore": True,
            "spanAnnotations": True,
            "sessionId": "s1",
            "context": {"entries": [{"text": "earlier comment"}]},
            "communityId": "ignored",
        }
    )
    assert parsed.do_not_store is True
    assert parsed.span_annotations is True
    assert parsed.requested_attributes["TOXICITY"].score_type == "PROBABILITY"
    assert set(parsed.model_dump(by_alias=True)) >= {"requestedAttributes", "doNotStore"}


@pytest.mark.parametrize(
    "body",
    [
        {"comment": {"text": "hi"}, "requestedAttributes": {}},
        {"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}},
        {"comment": {"text": "x" * 20481}, "requestedAttributes": {"TOXICITY": {}}},
        {"comment": {"text": "hi", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}},
        {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}},
    ],
)
def test_invalid_requests_fail_validation(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AnalyzeCommentRequest.model_validate(body)


@pytest.mark.parametrize(
    "model",
    [
        AnalyzeCommentRequest,
        AnalyzeCommentResponse,
        AttributeScores,
        Comment,
        RequestedAttribute,
        Score,
        SpanScore,
    ],
)
def test_every_model_has_valid_examples(model: type[BaseModel]) -> None:
    examples = model.model_json_schema()["examples"]
    assert examples
    for example in examples:
        assert model.model_validate(example).model_dump(exclude_unset=True) == example


def test_unknown_names_are_bounded_in_the_message() -> None:
    names = [f"UNKNOWN_{i}" for i in range(7)] + ["Z" * 500]
    with pytest.raises(InvalidRequestError) as caught:
        mapper.check_names(names, "attributeScores")
    detail = str(caught.value)
    assert detail.startswith(
        "Attributes UNKNOWN_0, UNKNOWN_1, UNKNOWN_2, UNKNOWN_3, UNKNOWN_4, ..."
    )
    assert "Z" * 100 not in detail
    errors = caught.value.extra["errors"]
    assert isinstance(errors, list)
    assert errors[0]["field"] == "body.attributeScores.UNKNOWN_0"


def test_model_scores_cover_the_names_the_model_scores(
    results: dict[str, ModerationResult],
) -> None:
    result = results[ABUSE]
    scores = mapper.model_scores(["TOXICITY", "SEVERE_TOXICITY"], result)
    assert scores["TOXICITY"] == result.scores[Category.TOXICITY]
    assert scores["SEVERE_TOXICITY"] == mapper.severe_toxicity(result.scores)
    assert mapper.model_scores(["NOT_AN_ATTRIBUTE"], result) == {}
