"""`moderation eval-ood`: the out-of-domain protocol every modelling choice is judged by."""

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

ENV_DATASETS_DIR = "MODERATION_DATASETS_DIR"
_REPO_DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"
_SCORERS = ("engine_fast", "tfidf_baseline", "engine_finetuned")
_DEFAULT_SCORERS = ("engine_fast", "tfidf_baseline")
_err = Console(stderr=True)


def eval_ood(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help=f"The shared datasets (default: ${ENV_DATASETS_DIR}, else ../shared/data)."
        ),
    ] = None,
    max_per_source: Annotated[
        int | None, typer.Option(min=10, help="Cap rows per source (quick runs).")
    ] = None,
    sources: Annotated[
        str | None, typer.Option(help="Comma-separated sources to use (default: all commercial).")
    ] = None,
    hold_out: Annotated[
        str | None, typer.Option(help="Comma-separated sources to run folds for (default: all).")
    ] = None,
    scorers: Annotated[
        str, typer.Option(help=f"Comma-separated, from {', '.join(_SCORERS)}.")
    ] = ",".join(_DEFAULT_SCORERS),
    finetuned: Annotated[
        list[Path] | None,
        typer.Option(
            help=(
                "Export(s) of training/finetune_minilm.py for engine_finetuned; each is used "
                "for the folds whose source it was trained without (its --exclude-sources)."
            )
        ),
    ] = None,
    cascade_band: Annotated[
        str | None,
        typer.Option(
            help=(
                "LOW,HIGH: fast-tier probabilities engine_finetuned re-scores (0,1: all; "
                "default: the training default, what ships)."
            )
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the full report as JSON here.")] = None,
    seed: Annotated[int, typer.Option()] = 13,
    template_holdout: Annotated[
        float, typer.Option(min=0.0, max=0.9, help="Share of hard-negative templates held out.")
    ] = 0.3,
    obfuscation_per_fold: Annotated[
        int, typer.Option(min=0, help="Harmful and clean held-out texts obfuscated per fold.")
    ] = 60,
    suites: Annotated[
        bool, typer.Option(help="Train on all sources and run the functional/bias/span suites.")
    ] = True,
    semantic: Annotated[
        bool, typer.Option(help="Give the suites' engine model its semantic tier (slow).")
    ] = False,
) -> None:
    """Leave-one-source-out ROC AUC and F1 of the engine's fast tier and a plain TF-IDF
    baseline, side by side, plus obfuscation, template hold-out, bias and span suites."""
    from moderation.ml.data import DatasetCatalog
    from moderation.ml.evaluation import EngineScorer, OodProtocol, ScorerFactory, TfidfBaseline
    from moderation.ml.spans._toxic_spans_io import read_tsd_csv

    directory = _data_dir(data_dir)
    wanted = _names(scorers) or []
    unknown = sorted(set(wanted) - set(_SCORERS))
    if unknown or not wanted:
        raise typer.BadParameter(f"choose from {', '.join(_SCORERS)}", param_hint="--scorers")
    factories: dict[str, ScorerFactory] = {}
    if "engine_fast" in wanted:
        factories["engine_fast"] = EngineScorer.factory(directory, seed, semantic)
    if "tfidf_baseline" in wanted:
        factories["tfidf_baseline"] = TfidfBaseline.factory(seed)
    exports = _exports(finetuned or [])
    if "engine_finetuned" in wanted and not exports:
        raise typer.BadParameter("engine_finetuned needs --finetuned", param_hint="--finetuned")
    started = time.perf_counter()

    def say(message: str) -> None:
        _err.print(f"[dim]{time.perf_counter() - started:7.1f}s[/dim] {message}", highlight=False)

    trial = directory / "toxic_spans" / "tsd_trial.csv"
    try:
        say(f"loading datasets from {directory}")
        examples = DatasetCatalog(directory).load_all(max_per_source=max_per_source, seed=seed)
        posts = list(zip(*read_tsd_csv(trial), strict=True)) if trial.is_file() else []
        if "engine_finetuned" in wanted:
            chosen = _names(sources) or sorted({e.source for e in examples})
            factories["engine_finetuned"] = EngineScorer.finetuned_factory(
                directory,
                exports,
                chosen,
                seed,
                None if cascade_band is None else _band(cascade_band),
            )
        protocol = OodProtocol(
            factories,
            seed=seed,
            template_holdout=template_holdout,
            obfuscation_per_fold=obfuscation_per_fold,
            suites=suites,
            span_posts=posts,
            progress=say,
        )
        report = protocol.run(
            examples, _names(sources), _names(hold_out), max_per_source=max_per_source
        )
    except (OSError, ValueError) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if out is not None:
        out.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        say(f"wrote {out}")
    typer.echo(report.to_markdown())
    typer.echo(f"wall time: {report.wall_seconds:.0f} s")


def _band(value: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in value.split(","))
    except ValueError as exc:
        raise typer.BadParameter("expected LOW,HIGH", param_hint="--cascade-band") from exc
    if not 0.0 <= low <= high <= 1.0:
        raise typer.BadParameter("need 0 <= LOW <= HIGH <= 1", param_hint="--cascade-band")
    return low, high


def _exports(directories: list[Path]) -> dict[Path, frozenset[str]]:
    """Each export with the sources its training left out (from its training.json)."""
    import json

    out: dict[Path, frozenset[str]] = {}
    for directory in directories:
        try:
            report = json.loads((directory / "training.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise typer.BadParameter(f"{directory}: {exc}", param_hint="--finetuned") from exc
        excluded = str(report.get("config", {}).get("exclude_sources", ""))
        out[directory] = frozenset(s for s in excluded.split(",") if s)
    return out


def _data_dir(given: Path | None) -> Path:
    if given is not None:
        return given
    from_env = os.environ.get(ENV_DATASETS_DIR)
    return Path(from_env) if from_env else _REPO_DATA_DIR


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]
