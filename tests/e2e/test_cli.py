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

    def test_train_writes_a_loadable_bundle(self, training_data_dir: Path, tmp_path: Path) -> None:
        out = tmp_path / "m"
        result = runner.invoke(
            app,
            [
                "train",
                "--data-dir",
                str(training_data_dir),
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


class TestEvalInputs:
    def test_jsonl_with_label_field(self, tiny_model_dir: Path, tmp_path: Path) -> None:
        data = tmp_path / "mine.jsonl"
        lines = [json.dumps({"body": f"idiot moron {i}", "y": 1}) for i in range(4)]
        lines += [json.dumps({"body": f"nice day {i}", "y": "0"}) for i in range(4)]
        data.write_text("\n".join(lines) + "\n\n")
        args = ["eval", str(data), "--model", str(tiny_model_dir), "--text-field", "body"]
        result = runner.invoke(app, [*args, "--label-field", "y", "--category", "insult"])
        assert result.exit_code == 0, result.output
        assert "insult" in result.stdout

    @pytest.mark.parametrize(
        ("content", "extra", "message"),
        [
            ('{"text": "a"}\n', [], "no label columns"),
            ('{"text": "a", "y": 1}\n', ["--label-field", "y"], "needs --category"),
            ('{"text": "a"}\n', ["--label-field", "y", "--category", "insult"], "no column"),
            ('{"body": "a"}\n', [], "no column 'text'"),
            ("{oops\n", [], "invalid JSON"),
        ],
    )
    def test_bad_files_are_explained(
        self, tiny_model_dir: Path, tmp_path: Path, content: str, extra: list[str], message: str
    ) -> None:
        from moderation.ml.engine import Engine
        from moderation.ml.evaluation import LabelledFileEvaluator

        data = tmp_path / "bad.jsonl"
        data.write_text(content)
        evaluator = LabelledFileEvaluator(Engine.load(tiny_model_dir))
        label = extra[1] if len(extra) > 1 else None
        category = extra[3] if len(extra) > 3 else None
        with pytest.raises(ValueError, match=message):
            evaluator.evaluate(data, "text", label, category)


class TestPackageApi:
    def test_engine_is_importable_from_the_package(self) -> None:
        import moderation

        assert moderation.Engine.__name__ == "Engine"
        with pytest.raises(AttributeError):
            _ = moderation.NoSuchThing


def test_eval_reports_a_bad_file_without_a_traceback(tiny_model_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("comment\nhello\n")
    result = runner.invoke(app, ["eval", str(data), "--model", str(tiny_model_dir)])
    assert result.exit_code == 2
    assert "no column 'text'" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "no-such-file.jsonl"], "No such file"),
        (["score", "--model", "no-such-model"], "not found"),
        (["score", "--policy", "POLICY"], "validation error"),
    ],
)
def test_score_setup_errors_are_clear(args: list[str], message: str, tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"categories": {"toxicity": {"flag_at": 2}}}')
    args = [str(policy) if a == "POLICY" else a for a in args]
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2
    assert message in result.output
