"""Results of one out-of-domain protocol run, as JSON and as the tables people read."""

import math
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.evaluation.loso_fold import LosoFold
from moderation.ml.evaluation.loso_score import LosoScore
from moderation.ml.evaluation.obfuscation_score import ObfuscationScore
from moderation.ml.evaluation.suite_scores import SuiteScores
from moderation.ml.vocabulary.category import Category

__all__ = ["LosoFold", "LosoScore", "ObfuscationScore", "ProtocolReport", "SuiteScores"]


class ProtocolReport(BaseModel):
    """Everything one `moderation eval-ood` run measured (round-trips through JSON)."""

    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")

    seed: int
    max_per_source: int | None = None
    sources: list[str]
    scorers: list[str]
    template_holdout: float
    folds: list[LosoFold] = Field(default_factory=list)
    loso: list[LosoScore] = Field(default_factory=list)
    obfuscation: list[ObfuscationScore] = Field(default_factory=list)
    suites: list[SuiteScores] = Field(default_factory=list)
    wall_seconds: float = 0.0

    def mean_auc_by_source(self, scorer: str) -> dict[str, float]:
        """Per held-out source, the mean ROC AUC over the categories it labels."""
        by_source: dict[str, list[float]] = {}
        for row in self.loso:
            if row.scorer == scorer:
                by_source.setdefault(row.source, []).append(row.roc_auc)
        return {s: _mean(v) for s, v in by_source.items()}

    def summary(self) -> dict[str, dict[str, float]]:
        """Headline figures per scorer (means over sources and over source x category)."""
        out: dict[str, dict[str, float]] = {}
        for scorer in self.scorers:
            rows = [r for r in self.loso if r.scorer == scorer]
            entry = {
                "mean_auc_over_sources": _mean(self.mean_auc_by_source(scorer).values()),
                "mean_auc_over_pairs": _mean(r.roc_auc for r in rows),
                # Spam has its own signal features in the engine; harm alone is the question
                # most modelling choices are about.
                "mean_auc_over_harm_pairs": _mean(
                    r.roc_auc for r in rows if r.category is not Category.SPAM
                ),
                "mean_f1_over_pairs": _mean(r.f1 for r in rows),
            }
            suite = next((s for s in self.suites if s.scorer == scorer), None)
            if suite is not None:
                entry["functional_overall"] = suite.functional.get("overall", math.nan)
                entry["templates_trained"] = suite.templates_trained.get("overall", math.nan)
                entry["templates_held_out"] = suite.templates_held_out.get("overall", math.nan)
                entry["bias_final_score"] = suite.bias.get("final_score", math.nan)
                if suite.span_f1 is not None:
                    entry["span_f1"] = suite.span_f1
            out[scorer] = entry
        return out

    def to_markdown(self) -> str:
        """The tables: LOSO per pair with means, obfuscation, suites."""
        parts = [self._loso_table(), self._summary_table()]
        if self.obfuscation:
            parts.append(self._obfuscation_table())
        if self.suites:
            parts.append(self._suite_table())
        return "\n\n".join(parts) + "\n"

    def _loso_table(self) -> str:
        header = ["held-out source", "category", "n", "pos"]
        for scorer in self.scorers:
            header += [f"{scorer} AUC", f"{scorer} F1"]
        lines = [_row(header), _rule(header, left=2)]
        keyed = {(r.scorer, r.source, r.category): r for r in self.loso}
        pairs = list(dict.fromkeys((r.source, r.category) for r in self.loso))
        for source, category in pairs:
            first = next(r for r in self.loso if (r.source, r.category) == (source, category))
            cells = [source, category.value, str(first.n), str(first.positives)]
            for scorer in self.scorers:
                row = keyed.get((scorer, source, category))
                untrained = "" if row is None or row.trained else "†"
                cells += [
                    "-" if row is None else f"{row.roc_auc:.3f}{untrained}",
                    "-" if row is None else f"{row.f1:.3f}",
                ]
            lines.append(_row(cells))
        if any(not r.trained for r in self.loso):
            lines.append("\n† one score for every text: no training source labelled both classes.")
        return "\n".join(lines)

    def _summary_table(self) -> str:
        summary = self.summary()
        keys = list(dict.fromkeys(k for entry in summary.values() for k in entry))
        header = ["figure", *self.scorers]
        lines = [_row(header), _rule(header, left=1)]
        for key in keys:
            cells = [key.replace("_", " ")]
            cells += [_fmt(summary[s].get(key, math.nan)) for s in self.scorers]
            lines.append(_row(cells))
        return "\n".join(lines)

    def _obfuscation_table(self) -> str:
        header = ["obfuscation"]
        for scorer in self.scorers:
            header += [f"{scorer} kept", f"{scorer} FP rise"]
        lines = [_row(header), _rule(header, left=1)]
        keyed = {(o.scorer, o.kind): o for o in self.obfuscation}
        for kind in dict.fromkeys(o.kind for o in self.obfuscation):
            cells = [kind]
            for scorer in self.scorers:
                o = keyed.get((scorer, kind))
                cells += (
                    ["-", "-"]
                    if o is None
                    else [
                        f"{o.retained:.3f} of {o.detected}",
                        f"{100 * o.false_positive_rise:+.1f} pts",
                    ]
                )
            lines.append(_row(cells))
        return "\n".join(lines)

    def _suite_table(self) -> str:
        header = ["suite", *self.scorers]
        lines = [_row(header), _rule(header, left=1)]
        by_scorer = {s.scorer: s for s in self.suites}

        def add(label: str, pick: str, key: str) -> None:
            values = []
            for scorer in self.scorers:
                suite = by_scorer.get(scorer)
                table: dict[str, float] = getattr(suite, pick) if suite else {}
                values.append(_fmt(table.get(key, math.nan)))
            lines.append(_row([label, *values]))

        for pick, title in (
            ("functional", "functional suite (held-out templates)"),
            ("templates_trained", "hard-negative templates in training"),
            ("templates_held_out", "hard-negative templates held out"),
        ):
            keys = _ordered_keys(getattr(s, pick) for s in self.suites)
            add(f"**{title}: overall**", pick, "overall")
            for key in keys:
                if key != "overall":
                    add(f"{title.split(' (')[0]} / {key}", pick, key)
        for key in ("final_score", "mean_subgroup_auc", "mean_bpsn_auc", "mean_bnsp_auc"):
            add(f"identity bias {key.replace('_', ' ')}", "bias", key)
        spans = [by_scorer[s].span_f1 if s in by_scorer else None for s in self.scorers]
        lines.append(_row(["span F1 (tsd_trial)", *("-" if v is None else _fmt(v) for v in spans)]))
        return "\n".join(lines)


def _ordered_keys(tables: Iterable[dict[str, float]]) -> list[str]:
    return list(dict.fromkeys(k for table in tables for k in table))


def _mean(values: Iterable[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return sum(finite) / len(finite) if finite else math.nan


def _fmt(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(header: Sequence[str], left: int) -> str:
    return "|" + "---|" * left + "---:|" * (len(header) - left)
