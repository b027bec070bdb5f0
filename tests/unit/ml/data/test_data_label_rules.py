from moderation.ml.data import _label_rules as rules
from moderation.ml.vocabulary.category import Category

C = Category


class TestLabelRules:
    def test_davidson_hate_and_offensive(self) -> None:
        assert rules.davidson(3, 0, 0) == ({C.TOXICITY: 1, C.HATE_SPEECH: 1, C.SPAM: 0}, 1.0)
        labels, weight = rules.davidson(0, 3, 0) or ({}, 0.0)
        assert labels[C.PROFANITY] == 1
        assert labels[C.HATE_SPEECH] == 0
        assert weight == 1.0

    def test_davidson_doubtful_hate_is_unknown_and_weak_majority_dropped(self) -> None:
        labels, weight = rules.davidson(1, 2, 0) or ({}, 0.0)
        assert C.HATE_SPEECH not in labels
        assert abs(weight - 2 / 3) < 1e-9
        assert rules.davidson(2, 2, 2) is None

    def test_davidson_neither_is_clean(self) -> None:
        labels, _ = rules.davidson(0, 0, 3) or ({}, 0.0)
        assert labels[C.TOXICITY] == 0
        assert labels[C.PROFANITY] == 0
        assert labels[C.INSULT] == 0

    def test_olid_levels(self) -> None:
        assert rules.olid("NOT", "NULL", "NULL")[C.HATE_SPEECH] == 0
        untargeted = rules.olid("OFF", "UNT", "NULL")
        assert untargeted[C.PROFANITY] == 1
        assert untargeted[C.INSULT] == 0
        individual = rules.olid("OFF", "TIN", "IND")
        assert individual[C.INSULT] == 1
        assert C.THREAT not in individual
        group = rules.olid("OFF", "TIN", "GRP")
        assert C.INSULT not in group
        assert C.HATE_SPEECH not in group
        assert group[C.TOXICITY] == 1

    def test_stormfront_drops_relation_and_idk(self) -> None:
        assert rules.stormfront("hate") == {C.TOXICITY: 1, C.HATE_SPEECH: 1, C.SPAM: 0}
        assert rules.stormfront("relation") is None
        assert rules.stormfront("idk/skip") is None

    def test_edos_categories(self) -> None:
        threat = rules.edos(True, "1. threats, plans to harm and incitement", "1.1 threats of harm")
        assert threat[C.THREAT] == 1
        assert threat[C.HATE_SPEECH] == 1
        objectifying = rules.edos(True, "2. derogation", "2.3 dehumanising attacks & overt ...")
        assert objectifying[C.SEXUAL] == 1
        prejudiced = rules.edos(True, "4. prejudiced discussions", "4.1 supporting ...")
        assert prejudiced == {C.SPAM: 0, C.THREAT: 0, C.SEXUAL: 0}
        assert rules.edos(False, "none", "none") == {C.SPAM: 0, C.THREAT: 0, C.SEXUAL: 0}
        assert C.TOXICITY not in threat

    def test_hate_only_sources_do_not_imply_toxicity(self) -> None:
        hate = rules.tweeteval_hate(1)
        assert rules.finalise(hate, imply_toxicity=False) == {C.HATE_SPEECH: 1, C.SPAM: 0}
        assert rules.finalise(hate)[C.TOXICITY] == 1
        assert rules.stormfront("noHate") == {C.HATE_SPEECH: 0, C.TOXICITY: 0, C.SPAM: 0}

    def test_toxic_spans_rater_thresholds(self) -> None:
        labels = rules.toxic_spans(3, {C.THREAT: 2, C.INSULT: 1})
        assert labels[C.THREAT] == 1
        assert C.INSULT not in labels
        assert labels[C.PROFANITY] == 0
        assert labels[C.HATE_SPEECH] == 0
        crowd = rules.toxic_spans(357, {C.THREAT: 8, C.PROFANITY: 167})
        assert C.THREAT not in crowd
        assert crowd[C.PROFANITY] == 1

    def test_message_spam(self) -> None:
        assert rules.message_spam(False)[C.SEXUAL] == 0
        spam = rules.message_spam(True)
        assert spam[C.SPAM] == 1
        assert C.SEXUAL not in spam
        assert spam[C.TOXICITY] == 0

    def test_finalise_implications(self) -> None:
        assert rules.finalise({C.INSULT: 1})[C.TOXICITY] == 1
        assert rules.finalise({C.TOXICITY: 0})[C.HATE_SPEECH] == 0
        assert C.TOXICITY not in rules.finalise({C.TOXICITY: 0, C.THREAT: 1})

    def test_merge_drops_disagreements(self) -> None:
        merged = rules.merge([{C.HATE_SPEECH: 1, C.SPAM: 0}, {C.HATE_SPEECH: 0, C.INSULT: 0}])
        assert C.HATE_SPEECH not in merged
        assert merged[C.INSULT] == 0
        assert merged[C.SPAM] == 0
