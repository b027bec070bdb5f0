from pathlib import Path

import pytest
from tests.unit.ml.evaluation.toy_sources import toy_source
from typer.testing import CliRunner

from moderation.cli import eval_ood_command
from moderation.cli.app import app
from moderation.ml.data import DatasetCatalog, LabelledText
from moderation.ml.evaluation import ProtocolReport

runner = CliRunner()


@pytest.fixture
def toy_catalog(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """DatasetCatalog.load_all answers toy sources and records the directory it was given."""
    seen: list[Path] = []

    def load_all(self: DatasetCatalog, **_options: object) -> list[LabelledText]:
        seen.append(self.data_dir)
        return [*toy_source("chat"), *toy_source("news")]

    monkeypatch.setattr(DatasetCatalog, "load_all", load_all)
    return seen


class TestEvalOodCommand:
    def test_prints_the_table_and_writes_the_report(
        self, toy_catalog: list[Path], tmp_path: Path
    ) -> None:
        out = tmp_path / "ood.json"
        args = ["eval-ood", "--data-dir", str(tmp_path), "--scorers", "tfidf_baseline"]
        result = runner.invoke(app, [*args, "--no-suites", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "| chat | toxicity |" in result.stdout
        assert "mean auc over sources" in result.stdout
        report = ProtocolReport.model_validate_json(out.read_text(encoding="utf-8"))
        assert [f.source for f in report.folds] == ["chat", "news"]
        assert toy_catalog == [tmp_path]

    def test_data_dir_defaults_to_the_environment(
        self, toy_catalog: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(eval_ood_command.ENV_DATASETS_DIR, str(tmp_path))
        args = ["eval-ood", "--scorers", "tfidf_baseline", "--no-suites", "--hold-out", "news"]
        assert runner.invoke(app, args).exit_code == 0
        assert toy_catalog == [tmp_path]

    def test_unknown_scorer_is_a_usage_error(self) -> None:
        result = runner.invoke(app, ["eval-ood", "--scorers", "bert"])
        assert result.exit_code == 2

    def test_unknown_source_is_an_error(self, toy_catalog: list[Path]) -> None:
        args = ["eval-ood", "--scorers", "tfidf_baseline", "--sources", "reddit"]
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert toy_catalog

    def test_finetuned_scorer_needs_an_export(self) -> None:
        result = runner.invoke(app, ["eval-ood", "--scorers", "engine_finetuned"])
        assert result.exit_code == 2
        assert "--finetuned" in result.output

    @pytest.mark.usefixtures("toy_catalog")
    def test_finetuned_fold_runs_with_an_export_that_left_its_source_out(
        self, tmp_path: Path
    ) -> None:
        import json

        from tests.unit.ml.embeddings.tiny_export import write_tiny_export

        export = write_tiny_export(tmp_path / "export")
        config = {"config": {"exclude_sources": "news"}}
        (export / "training.json").write_text(json.dumps(config), encoding="utf-8")
        args = ["eval-ood", "--data-dir", str(tmp_path), "--scorers", "engine_finetuned"]
        args += ["--finetuned", str(export), "--hold-out", "news", "--no-suites"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "| news | toxicity |" in result.stdout

    @pytest.mark.usefixtures("toy_catalog")
    def test_finetuned_fold_without_an_honest_export_is_an_error(self, tmp_path: Path) -> None:
        from tests.unit.ml.embeddings.tiny_export import write_tiny_export

        export = write_tiny_export(tmp_path / "export")  # its training.json names no exclusion
        args = ["eval-ood", "--data-dir", str(tmp_path), "--scorers", "engine_finetuned"]
        result = runner.invoke(app, [*args, "--finetuned", str(export), "--no-suites"])
        assert result.exit_code == 2
        assert "no fine-tuned export" in result.output

    @pytest.mark.usefixtures("toy_catalog")
    @pytest.mark.parametrize("band", ["0.6,0.2", "x", "0.1,1.5"])
    def test_a_bad_cascade_band_is_a_usage_error(self, tmp_path: Path, band: str) -> None:
        from tests.unit.ml.embeddings.tiny_export import write_tiny_export

        export = write_tiny_export(tmp_path / "export")
        args = ["eval-ood", "--data-dir", str(tmp_path), "--scorers", "engine_finetuned"]
        args += ["--finetuned", str(export), "--cascade-band", band, "--no-suites"]
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "--cascade-band" in result.output
