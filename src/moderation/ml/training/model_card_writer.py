import json
from collections.abc import Callable
from typing import Any

from moderation.ml.artifacts.model_manifest import ModelManifest
from moderation.ml.data import SOURCES, DatasetCatalog
from moderation.ml.engine.engine import Engine
from moderation.ml.evaluation.model_evaluator import ModelEvaluator
from moderation.ml.training.training_config import TrainingConfig

Progress = Callable[[str], None]


class ModelCardWriter:
    """Evaluates a freshly trained bundle and writes `metrics.json` and `model_card.md`
    next to its weights (and the summary into its manifest, for `moderation models`)."""

    def __init__(self, config: TrainingConfig, progress: Progress | None = None) -> None:
        self.config = config
        self._say: Progress = progress or (lambda _msg: None)

    def write(self) -> dict[str, Any]:
        cfg = self.config
        engine = Engine.load(cfg.out_dir)
        examples = DatasetCatalog(cfg.data_dir).load_all(
            include_noncommercial=cfg.include_noncommercial,
            max_per_source=cfg.max_per_source,
            seed=cfg.seed,
        )
        validation = [e for e in examples if e.split == "validation"]
        metrics = ModelEvaluator(engine, self._say).run(validation)
        manifest_path = cfg.out_dir / "manifest.json"
        manifest = ModelManifest.model_validate_json(manifest_path.read_text(encoding="utf-8"))
        metrics["spans"] = manifest.metrics.get("spans", {})
        manifest.metrics = {"summary": metrics["summary"], "spans": metrics["spans"]}
        manifest_path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
        (cfg.out_dir / "metrics.json").write_text(
            json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        (cfg.out_dir / "model_card.md").write_text(_card(manifest, metrics, cfg), encoding="utf-8")
        return metrics


_COMMERCIAL = {"yes": "yes", "review": "unclear: no licence granted, legal review", "no": "NO"}


def licence_rows(sources: dict[str, dict[str, int]]) -> list[str]:
    """The training-data table's rows, then each source's note (terms that need attention)."""
    rows, notes = [], []
    for source, counts in sorted(sources.items()):
        info = SOURCES.get(source)
        licence = info.licence if info else "?"
        commercial = _COMMERCIAL[info.commercial] if info else "?"
        rows.append(
            f"| {source} | {counts.get('train', 0)} | {counts.get('validation', 0)} "
            f"| {licence} | {commercial} |"
        )
        if info is not None and info.note:
            notes.append(f"- {source}: {info.note}")
    return rows + (["", *notes] if notes else [])


def _card(manifest: ModelManifest, metrics: dict[str, Any], cfg: TrainingConfig) -> str:
    lines = [
        f"# Model card: {manifest.name} {manifest.full_version}",
        "",
        f"Created {manifest.created_at} by `moderation train` (seed {cfg.seed}"
        + (f", max {cfg.max_per_source} rows per source" if cfg.max_per_source else "")
        + "). Reproduce: `moderation train --version "
        + f"{manifest.version} --seed {cfg.seed}"
        + (
            " --finetuned EXPORT`, EXPORT from `training/finetune_minilm.py`."
            if manifest.has_finetuned_tier
            else "`."
        ),
        "",
        "## Architecture",
        "- Fast tier: hashed word 1-2-grams and char_wb "
        f"{manifest.featurizer.char_ngrams[0]}-{manifest.featurizer.char_ngrams[1]}-grams "
        f"(2^{manifest.featurizer.word_bits} + 2^{manifest.featurizer.char_bits} buckets, "
        "sublinear TF-IDF) plus spam signals; one L2 logistic head per category.",
        "- Semantic tier: " + _semantic_line(manifest),
        "- Calibration: Platt scaling on the validation splits, re-weighted to these priors: "
        + ", ".join(f"{k.value} {v:.2f}" for k, v in manifest.priors.items())
        + ".",
        "",
        "## Training data",
        "| source | train | validation | licence | commercial use |",
        "|---|---:|---:|---|---|",
    ]
    lines += licence_rows(manifest.training.get("sources", {}))
    lines += ["", "## Validation (ROC AUC / average precision)", ""]
    validation = metrics.get("validation", {})
    tiers = [t for t in ("fast", "cascade", "stacked_always") if t in validation]
    lines.append("| category | n | positives | " + " | ".join(tiers) + " |")
    lines.append("|---|---:|---:|" + "---:|" * len(tiers))
    for category, entry in validation.get("fast", {}).items():
        cells = [
            f"{validation[t][category]['roc_auc']:.3f} / "
            f"{validation[t][category]['average_precision']:.3f}"
            for t in tiers
            if category in validation[t]
        ]
        lines.append(
            f"| {category} | {entry['n']} | {entry['positives']} | " + " | ".join(cells) + " |"
        )
    if "cascaded_share" in validation:
        lines.append(
            f"\nShare of validation texts sent to the semantic tier: "
            f"{validation['cascaded_share']:.1%}."
        )
    functional = metrics["functional"]["accuracy"]
    lines += ["", "## Functional suite (own templates, never trained on)", ""]
    lines += ["| functionality | accuracy |", "|---|---:|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in sorted(functional.items())]
    bias = metrics["bias"]
    lines += [
        "",
        "## Identity-term bias (own templates; Jigsaw metrics)",
        "",
        f"- final score (power mean p=-5 of subgroup / BPSN / BNSP AUC, with overall): "
        f"{bias.get('final_score', 0):.3f}",
    ]
    for key in ("mean_subgroup_auc", "mean_bpsn_auc", "mean_bnsp_auc", "overall_auc"):
        if key in bias:
            lines.append(f"- {key}: {bias[key]:.3f}")
    everyday = metrics["everyday"]
    lines += [
        "",
        f"## Everyday text: {everyday['not_approved']} of {everyday['texts']} not approved",
    ]
    spans = metrics.get("spans", {})
    if spans:
        lines += ["", "## Spans (toxic_spans, tsd_trial)", ""]
        lines += [f"- {k}: {v}" for k, v in spans.items()]
    lines += [
        "",
        "## Limitations",
        "- `sexual` has few real positives (EDOS 2.3 only); explicit content relies on the "
        "built-in lexicon rules.",
        "- `threat` has ~470 real positives; `toxicity` training data is 70 % positive, so "
        "calibration to priors matters.",
        "- English only; other languages are flagged as unsupported by default.",
        "",
    ]
    return "\n".join(lines)


def _semantic_line(manifest: ModelManifest) -> str:
    band = f"consulted when a fast probability is in {manifest.cascade_band}."
    if manifest.has_finetuned_tier:
        return (
            "MiniLM-L6 fine-tuned end to end on the training splits (multi-task heads, "
            "masked loss; `training/finetune_minilm.py`), run in numpy from float16 layers, "
            f"max 64 word pieces, stacked with the fast tier; {band}"
        )
    if manifest.has_semantic_tier:
        return (
            "MiniLM-L6 sentence embeddings (numpy, no torch) with logistic heads, stacked "
            f"with the fast tier; {band}"
        )
    return "not trained for this version."
