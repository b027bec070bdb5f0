"""The `moderation` command line."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from moderation.cli.backfill_command import backfill
from moderation.cli.db_commands import db_app
from moderation.cli.eval_ood_command import eval_ood
from moderation.cli.export_decisions_command import HELP as EXPORT_DECISIONS_HELP
from moderation.cli.export_decisions_command import export_decisions
from moderation.cli.export_suggestions_command import export_suggestions
from moderation.cli.job_commands import jobs_app
from moderation.cli.key_commands import keys_app
from moderation.cli.score_stream import InputFormat, ScoreStream
from moderation.cli.serve_command import serve
from moderation.cli.tenant_commands import tenants_app
from moderation.cli.token_commands import tokens_app
from moderation.cli.worker_command import worker

app = typer.Typer(
    help="Monocto Moderation: run the service; score, train and evaluate the engine.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve)
app.add_typer(tenants_app, name="tenants")
app.add_typer(keys_app, name="keys")
app.add_typer(tokens_app, name="tokens")
app.add_typer(db_app, name="db")
app.command("worker")(worker)
app.add_typer(jobs_app, name="jobs")
app.command("backfill")(backfill)
app.command("export-suggestions")(export_suggestions)
app.command("export-decisions", help=EXPORT_DECISIONS_HELP)(export_decisions)
_err = Console(stderr=True)

DEFAULT_DATA_DIR = Path("../shared/data")

ModelOption = Annotated[
    str | None, typer.Option("--model", "-m", help="Model name or bundle directory.")
]


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        disable=not _err.is_terminal,
    )


@app.command()
def score(
    file: Annotated[str, typer.Argument(help="JSONL file ({'id','text'} per line) or '-'.")] = "-",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    input_format: Annotated[
        str, typer.Option("--format", help="jsonl, or text: one text per line.")
    ] = "jsonl",
    model: ModelOption = None,
    policy: Annotated[
        Path | None, typer.Option(help="Policy JSON (thresholds, term rules).")
    ] = None,
    semantic: Annotated[str, typer.Option(help="auto | always | never")] = "auto",
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 256,
) -> None:
    """Score texts; one JSON result per input line, same order. Exit 1 if any line failed."""
    from moderation.ml.engine import Engine, EngineOptions
    from moderation.ml.policy.moderation_policy import ModerationPolicy

    if input_format not in ("jsonl", "text"):
        raise typer.BadParameter("must be 'jsonl' or 'text'", param_hint="--format")
    if semantic not in ("auto", "always", "never"):
        raise typer.BadParameter("must be auto, always or never", param_hint="--semantic")
    from pydantic import ValidationError

    from moderation.ml.artifacts import BundleError

    try:
        loaded_policy = None
        if policy is not None:
            loaded_policy = ModerationPolicy.model_validate_json(policy.read_text(encoding="utf-8"))
        options = EngineOptions(semantic=semantic)  # type: ignore[arg-type]
        engine = Engine.load(model, loaded_policy, options)
        source: BinaryIO = sys.stdin.buffer if file == "-" else open(file, "rb")
    except (OSError, BundleError, ValidationError) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    fmt: InputFormat = "text" if input_format == "text" else "jsonl"
    stream = ScoreStream(engine.score, fmt, batch_size)
    sink: TextIO = sys.stdout if output is None else open(output, "w", encoding="utf-8")
    total = None if file == "-" else _count_lines(Path(file))
    try:
        with _progress() as bar:
            task = bar.add_task("scoring", total=total)
            stream.run(source, sink, lambda n, _failed: bar.advance(task, n))
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if sink is not sys.stdout:
            sink.close()
    if stream.failed:
        _err.print(f"[red]{stream.failed} of {stream.lines} lines failed[/red]")
        raise typer.Exit(1)


@app.command()
def train(
    data_dir: Annotated[Path, typer.Option(help="The shared datasets.")] = DEFAULT_DATA_DIR,
    out: Annotated[Path | None, typer.Option(help="Bundle directory to write.")] = None,
    version: Annotated[str, typer.Option(help="Semantic version of the new model.")] = "1.2.0",
    seed: Annotated[int, typer.Option()] = 13,
    max_per_source: Annotated[
        int | None, typer.Option(help="Cap rows per dataset (quick runs).")
    ] = None,
    semantic: Annotated[bool, typer.Option(help="Train the MiniLM semantic tier.")] = True,
    finetuned: Annotated[
        Path | None,
        typer.Option(
            help=(
                "Export of training/finetune_minilm.py to ship as the semantic tier "
                "(packed to float16 layers; see docs/model-card.md)."
            )
        ),
    ] = None,
    spans: Annotated[bool, typer.Option(help="Train the span tagger.")] = True,
    evaluate: Annotated[bool, typer.Option(help="Evaluate and write the model card.")] = True,
) -> None:
    """Train a model bundle from the shared datasets (reproducible: same seed, same model)."""
    from moderation.ml.artifacts import ModelRegistry
    from moderation.ml.training import ModelCardWriter, Trainer, TrainingConfig

    target = out or ModelRegistry().user_dir / f"moderation-{version}"
    config = TrainingConfig(
        data_dir=data_dir,
        out_dir=target,
        version=version,
        seed=seed,
        max_per_source=max_per_source,
        semantic=semantic,
        finetuned_dir=finetuned,
        spans=spans,
    )
    # Trainer and evaluator announce each step; on a terminal that drives a progress bar,
    # elsewhere (CI logs) each step is one log line.
    steps = 6 + (3 if evaluate else 0)
    with _progress() as bar:
        task = bar.add_task("training", total=steps)

        def step(prefix: str) -> Callable[[str], None]:
            def report(message: str) -> None:
                if bar.disable:
                    _err.print(f"[dim]{prefix}:[/dim] {message}")
                bar.update(task, advance=1, description=f"{prefix}: {message}")

            return report

        bundle = Trainer(config, progress=step("train")).run()
        if evaluate:
            ModelCardWriter(config, progress=step("eval")).write()
        bar.update(task, completed=steps)
    typer.echo(f"wrote {target} ({bundle.manifest.full_version})")


@app.command()
def models() -> None:
    """List the model bundles this installation can load."""
    from moderation.ml.artifacts import ModelRegistry

    table = Table(
        "name", "version", "semantic", "spans", "val AUC", "functional", "path", title="models"
    )
    for m in ModelRegistry().list():
        auc = m.metrics.get("mean_val_auc_cascade")
        functional = m.metrics.get("functional_accuracy")
        table.add_row(
            m.name,
            m.version,
            "fine-tuned" if m.has_finetuned_tier else ("frozen" if m.has_semantic_tier else "-"),
            str(m.has_span_tagger),
            "-" if auc is None else f"{auc:.3f}",
            "-" if functional is None else f"{functional:.3f}",
            str(m.path),
        )
    Console().print(table)


@app.command("eval")
def evaluate_file(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL or CSV of your own.")],
    model: ModelOption = None,
    text_field: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
    label_field: Annotated[
        str | None, typer.Option(help="A 0/1 column to score against --category.")
    ] = None,
    category: Annotated[str | None, typer.Option(help="Category for --label-field.")] = None,
) -> None:
    """Metrics (ROC AUC, precision/recall/F1 at the policy's flag threshold) on your data."""
    from moderation.ml.engine import Engine
    from moderation.ml.evaluation import LabelledFileEvaluator

    engine = Engine.load(model)
    try:
        with _progress() as bar:
            task = bar.add_task("evaluating", total=None)
            report = LabelledFileEvaluator(engine).evaluate(
                file,
                text_field,
                label_field,
                category,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except (ValueError, OSError) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    table = Table("category", "n", "positives", "roc_auc", "precision", "recall", "f1")
    for row in report:
        table.add_row(*(str(v) for v in row.values()))
    Console().print(table)


app.command("eval-ood")(eval_ood)


def _count_lines(path: Path) -> int | None:
    if not _err.is_terminal:
        return None
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def main() -> None:
    app()
