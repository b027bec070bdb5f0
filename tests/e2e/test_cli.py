import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moderation.cli.app import app

runner = CliRunner()


class TestScoreCommand:
    def test_scores_a_file_to_a_file(self, tiny_model_dir: Path, tmp_path: Path) -> None:
        source = tmp_path / "in.jsonl"
        source.write_text('{"id": 1, "text": "have a nice day"}\n{"id": 2, "text": "idiot"}\n')
        out = tmp_path / "out.jsonl"
        result = runner.invoke(
            app, ["score", str(source), "-o", str(out), "--model", str(tiny_model_dir)]
        )
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["id"] for r in records] == [1, 2]
        assert records[0]["decision"] == "approve"

    def test_stdin_and_failed_lines_set_exit_code(self, tiny_model_dir: Path) -> None:
        result = runner.invoke(
            app,
            ["score", "-", "--model", str(tiny_model_dir)],
            input='{"id": 1, "text": "fine"}\n{broken\n',
        )
        assert result.exit_code == 1
        lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
        assert lines[1]["error"]["type"] == "invalid-json"

    def test_text_format_and_policy_file(self, tiny_model_dir: Path, tmp_path: Path) -> None:
        policy = tmp_path / "policy.json"
        policy.write_text(
            json.dumps(
                {
                    "term_rules": [
                        {"id": "x", "pattern": "bananas", "category": "spam", "action": "reject"}
                    ]
                }
            )
        )
        result = runner.invoke(
            app,
            ["score", "--format", "text", "--policy", str(policy), "--model", str(tiny_model_dir)],
            input="I like b4nanas\n",
        )
        assert result.exit_code == 0, result.output
        record = json.loads(result.stdout.splitlines()[0])
        assert record["decision"] == "reject"
        assert record["spans"][0]["source"] == "rule:x"

    @pytest.mark.parametrize(("flag", "value"), [("--format", "xml"), ("--semantic", "maybe")])
    def test_bad_options_are_usage_errors(self, flag: str, value: str) -> None:
        result = runner.invoke(app, ["score", flag, value], input="")
        assert result.exit_code == 2


class TestOtherCommands:
    def test_models_lists_the_default(self) -> None:
        result = runner.invoke(app, ["models"])
        assert result.exit_code == 0
        assert "default" in result.stdout

    def test_eval_on_a_labelled_csv(self, tiny_model_dir: Path, tmp_path: Path) -> None:
        data = tmp_path / "mine.csv"
        rows = ["text,insult"] + [f"you are an idiot number {i},1" for i in range(5)]
        rows += [f"thanks for the help number {i},0" for i in range(5)]
        data.write_text("\n".join(rows) + "\n")
        result = runner.invoke(app, ["eval", str(data), "--model", str(tiny_model_dir)])
        assert result.exit_code == 0, result.output
        assert "insult" in result.stdout

    def test_train_writes_a_loadable_bundle(self, shared_data_dir: Path, tmp_path: Path) -> None:
        out = tmp_path / "m"
        result = runner.invoke(
            app,
            [
                "train",
                "--data-dir",
                str(shared_data_dir),
                "--out",
                str(out),
                "--max-per-source",
                "40",
                "--no-semantic",
                "--no-spans",
                "--no-evaluate",
            ],
        )
        assert result.exit_code == 0, result.output
        assert (out / "manifest.json").exists()
