import math

from moderation.ml.evaluation import ProtocolReport
from moderation.ml.evaluation.protocol_report import (
    LosoFold,
    LosoScore,
    ObfuscationScore,
    SuiteScores,
)
from moderation.ml.vocabulary.category import Category

TOX, INS = Category.TOXICITY, Category.INSULT


def score(scorer: str, source: str, category: Category, auc: float) -> LosoScore:
    return LosoScore(
        scorer=scorer,
        source=source,
        category=category,
        n=100,
        positives=40,
        roc_auc=auc,
        f1=auc - 0.2,
        threshold=0.5,
    )


def report() -> ProtocolReport:
    return ProtocolReport(
        seed=13,
        max_per_source=300,
        sources=["a", "b"],
        scorers=["engine", "baseline"],
        template_holdout=0.3,
        folds=[
            LosoFold(
                source="a",
                training_sources=["b"],
                train_texts=10,
                validation_texts=2,
                augmentation_texts=5,
                test_texts=12,
                seconds={"engine": 1.5, "baseline": 0.5},
            )
        ],
        loso=[
            score("engine", "a", TOX, 0.8),
            score("engine", "a", INS, 0.6),
            score("engine", "b", TOX, 0.9),
            score("baseline", "a", TOX, 0.7),
            score("baseline", "a", INS, 0.9),
            score("baseline", "b", TOX, 0.5),
        ],
        obfuscation=[
            ObfuscationScore(
                scorer="engine",
                kind="leet",
                detected=10,
                retained=0.9,
                clean=20,
                clean_flag_rate_before=0.05,
                clean_flag_rate_after=0.1,
            )
        ],
        suites=[
            SuiteScores(
                scorer="engine",
                functional={"overall": 0.6, "negated_hate": 0.3},
                templates_trained={"overall": 1.0},
                templates_held_out={"overall": 0.7},
                bias={"final_score": 0.95},
                span_f1=0.61,
            )
        ],
        wall_seconds=12.0,
    )


class TestProtocolReport:
    def test_means_over_sources_and_over_pairs(self) -> None:
        summary = report().summary()
        # engine: source a = mean(0.8, 0.6) = 0.7, b = 0.9 -> 0.8 over sources; 0.7667 pairs.
        assert math.isclose(summary["engine"]["mean_auc_over_sources"], 0.8)
        assert math.isclose(summary["engine"]["mean_auc_over_pairs"], 2.3 / 3)
        assert math.isclose(summary["baseline"]["mean_auc_over_sources"], 0.65)
        assert summary["engine"]["templates_held_out"] == 0.7
        assert math.isclose(summary["engine"]["mean_auc_over_harm_pairs"], 2.3 / 3)
        assert "functional_overall" not in summary["baseline"]  # no suite ran for it

    def test_round_trips_through_json(self) -> None:
        original = report()
        again = ProtocolReport.model_validate_json(original.model_dump_json())
        assert again == original
        assert (
            again.obfuscation[0].false_positive_rise == original.obfuscation[0].false_positive_rise
        )

    def test_markdown_has_every_table(self) -> None:
        text = report().to_markdown()
        assert "| held-out source | category | n | pos | engine AUC | engine F1 |" in text
        assert "| a | toxicity | 100 | 40 | 0.800 | 0.600 | 0.700 | 0.500 |" in text
        assert "| mean auc over sources | 0.800 | 0.650 |" in text
        assert "| leet | 0.900 of 10 | +5.0 pts | - | - |" in text
        assert "hard-negative templates held out: overall** | 0.700 | - |" in text
        assert "| span F1 (tsd_trial) | 0.610 | - |" in text

    def test_untrained_heads_are_marked(self) -> None:
        untrained = report()
        untrained.loso[0] = untrained.loso[0].model_copy(update={"trained": False})
        assert "0.800†" in untrained.to_markdown()
        assert "† one score for every text" in untrained.to_markdown()
        assert "†" not in report().to_markdown()

    def test_empty_report_renders(self) -> None:
        empty = ProtocolReport(seed=1, sources=[], scorers=["x"], template_holdout=0.0)
        assert "| figure | x |" in empty.to_markdown()
        assert math.isnan(empty.summary()["x"]["mean_auc_over_sources"])
