"""Our calibrated scores as Azure severities: the documented cut points and folding."""

from moderation.api.azure import AzureContentSafetyMapper
from moderation.api.azure.azure_mapper import SEVERITY_CUTS
from moderation.api.schemas.azure import TextCategory
from moderation.domain.models import Category
from moderation.domain.policy import CategoryThresholds

_mapper = AzureContentSafetyMapper()


def test_each_cut_point_starts_its_level() -> None:
    starts = [0.0, *SEVERITY_CUTS]
    assert [_mapper.severity(p) for p in starts] == list(range(8))
    assert [_mapper.severity(p - 0.0001) for p in SEVERITY_CUTS] == list(range(7))
    assert _mapper.severity(1.0) == 7


def test_low_and_medium_start_at_our_default_flag_and_reject_thresholds() -> None:
    defaults = CategoryThresholds()
    assert _mapper.severity(defaults.flag_at) == 2
    assert _mapper.severity(defaults.flag_at - 0.0001) == 1
    assert _mapper.severity(defaults.reject_at) == 4
    assert _mapper.severity(defaults.reject_at - 0.0001) == 3


def test_four_levels_fold_pairs_as_azure_does() -> None:
    for probability, four, eight in [(0.2, 0, 1), (0.6, 2, 3), (0.86, 4, 5), (0.999, 6, 7)]:
        result = {"scores": {"threat": probability}}
        folded = _mapper.categories(result, [TextCategory.VIOLENCE], False)
        full = _mapper.categories(result, [TextCategory.VIOLENCE], True)
        assert (folded[0].severity, full[0].severity) == (four, eight)


def test_the_category_mapping() -> None:
    scores = {
        Category.HATE_SPEECH.value: 0.1,
        Category.INSULT.value: 0.999,
        Category.THREAT.value: 0.72,
        Category.SEXUAL.value: 0.31,
        Category.PROFANITY.value: 0.99,
        Category.TOXICITY.value: 0.99,
    }
    levels = {
        item.category: item.severity
        for item in _mapper.categories({"scores": scores}, list(TextCategory), eight_levels=True)
    }
    # An insult alone is Low hate (Azure's "insults that target no identity group").
    assert levels == {
        TextCategory.HATE: 3,
        TextCategory.SELF_HARM: 0,
        TextCategory.SEXUAL: 2,
        TextCategory.VIOLENCE: 4,
    }
    hateful = {"scores": {"hate_speech": 0.9, "insult": 0.2}}
    assert _mapper.categories(hateful, [TextCategory.HATE], True)[0].severity == 5


def test_a_rule_that_acted_lifts_its_category_to_a_flag_but_a_blocklist_does_not() -> None:
    def span(category: str, source: str) -> dict[str, object]:
        return {"start": 0, "end": 4, "category": category, "source": source}

    result = {
        "scores": {"threat": 0.1, "sexual": 0.02, "hate_speech": 0.01, "insult": 0.05},
        "reasons": ["violence", "harassment"],
        "spans": [
            span("threat", "rule:threats:find_you"),
            # Not acted on: the policy gave no adult_content reason (category disabled).
            span("sexual", "rule:sexual:nudes"),
            # A blocklist item: Azure reports it in blocklistsMatch, apart from severities.
            span("insult", "rule:blocklist:brands:1"),
            span("hate_speech", "model"),
        ],
    }
    levels = {
        item.category: item.severity
        for item in _mapper.categories(result, list(TextCategory), eight_levels=True)
    }
    assert levels == {
        TextCategory.HATE: 0,
        TextCategory.SELF_HARM: 0,
        TextCategory.SEXUAL: 0,
        TextCategory.VIOLENCE: 3,
    }


def test_blocklist_matches_come_from_rule_spans_once_each_in_text_order() -> None:
    from moderation.domain.policy import BlocklistItem

    first = BlocklistItem(blocklist_name="a", item_id="1", text="darn")
    second = BlocklistItem(blocklist_name="b", item_id="2", text="heck")
    items = {
        BlocklistItem.rule_id("a", "1"): first,
        BlocklistItem.rule_id("b", "2"): second,
    }
    result = {
        "spans": [
            {"start": 9, "end": 13, "category": "insult", "source": "rule:blocklist:a:1"},
            {"start": 0, "end": 4, "category": "insult", "source": "rule:blocklist:b:2"},
            {"start": 20, "end": 24, "category": "insult", "source": "rule:blocklist:a:1"},
            {"start": 0, "end": 4, "category": "insult", "source": "model"},
            {"start": 0, "end": 4, "category": "insult", "source": "rule:blocklist:c:3"},
        ]
    }
    matches = _mapper.blocklist_matches(result, items)
    assert [(m.blocklist_name, m.blocklist_item_id, m.blocklist_item_text) for m in matches] == [
        ("b", "2", "heck"),
        ("a", "1", "darn"),
    ]
