from moderation.ml.data import FunctionalCase, FunctionalSuite
from moderation.ml.vocabulary.category import Category

C = Category


class TestFunctionalSuite:
    def test_size_and_functionalities(self) -> None:
        suite = FunctionalSuite()
        assert len(suite) >= 400
        names = set(suite.functionalities())
        assert {
            "identity_neutral",
            "negated_hate",
            "counter_speech",
            "profanity_not_hateful",
            "reclaimed_slur",
            "slur_homonym",
            "hate_plain",
            "hate_dehumanising",
            "threat_no_swear",
            "threat_implicit",
            "insult",
            "clean_everyday",
            "spam",
            "obfuscated",
        } <= names

    def test_texts_unique_and_expectations_binary(self) -> None:
        suite = FunctionalSuite()
        texts = [case.text for case in suite]
        assert len(texts) == len(set(texts))
        assert all(case.expected and set(case.expected.values()) <= {0, 1} for case in suite)
        assert all("{" not in case.text for case in suite)

    def test_spot_checks(self) -> None:
        by_text = {case.text: case for case in FunctionalSuite()}
        assert by_text["fuck yeah this is great"].expected[C.PROFANITY] == 1
        assert by_text["fuck yeah this is great"].expected[C.HATE_SPEECH] == 0
        assert by_text["I don't hate Muslims."].expected[C.HATE_SPEECH] == 0
        assert by_text["Muslims are vermin."].expected[C.HATE_SPEECH] == 1
        assert by_text["Muslims are vermin."].group == "muslim"
        assert by_text["hello world"].expected == dict.fromkeys(C, 0)

    def test_accuracy_per_functionality(self) -> None:
        suite = FunctionalSuite()
        perfect = suite.accuracy([case.expected for case in suite])
        assert perfect["overall"] == 1.0
        all_clean = suite.accuracy([dict.fromkeys(C, 0)] * len(suite))
        assert all_clean["clean_everyday"] == 1.0
        assert all_clean["hate_plain"] == 0.0

    def test_case_passed_ignores_unasserted_categories(self) -> None:
        case = FunctionalCase("x", "f", {C.THREAT: 1})
        assert case.passed({C.THREAT: 1, C.SPAM: 1})
        assert not case.passed({C.THREAT: 0})
