"""Google's own Perspective client (`googleapiclient.discovery.build`) against a real
`moderation serve`, and the suggestions it sent exported by `moderation export-suggestions`."""

import json
from pathlib import Path
from typing import Any

import pytest
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from tests.e2e.serve_support import create_key, run_cli, serving, unknown_key

INSULT = "Nice weather today. You are a stupid idiot and I hate you."


def _client(base: str, key: str) -> Any:
    """What a Perspective user runs, with only the discovery URL and the key changed."""
    return discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=key,
        discoveryServiceUrl=f"{base}/$discovery/rest?version=v1alpha1",
        static_discovery=False,
        cache_discovery=False,
    )


def _analyze(client: Any, text: str, *attributes: str, **extra: object) -> Any:
    body = {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes}}
    return client.comments().analyze(body={**body, **extra}).execute()


def test_googles_client_against_serve(tmp_path: Path, tiny_model_dir: Path) -> None:
    key = create_key(tmp_path, "acme", "moderate")
    # The clients are closed on the way out: httplib2 keeps its connections open otherwise.
    with serving(tmp_path, tiny_model_dir) as base, _client(base, key) as client:
        scored = _analyze(client, INSULT, "TOXICITY", "INSULT", "SEVERE_TOXICITY", "SPAM")
        assert set(scored["attributeScores"]) == {"TOXICITY", "INSULT", "SEVERE_TOXICITY", "SPAM"}
        toxicity = scored["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        assert toxicity > 0.5
        assert scored["attributeScores"]["SEVERE_TOXICITY"]["summaryScore"]["value"] <= toxicity
        assert scored["detectedLanguages"] == ["en"]

        spans = _analyze(client, INSULT, "INSULT", spanAnnotations=True, clientToken="c-1")
        assert spans["clientToken"] == "c-1"
        sentences = spans["attributeScores"]["INSULT"]["spanScores"]
        assert [(s["begin"], s["end"]) for s in sentences] == [(0, 20), (20, len(INSULT))]
        assert sentences[0]["score"]["value"] < sentences[1]["score"]["value"]

        with _client(base, unknown_key()) as stranger, pytest.raises(HttpError) as bad_key:
            _analyze(stranger, INSULT, "TOXICITY")
        assert bad_key.value.status_code == 401

        with pytest.raises(HttpError) as unknown:
            _analyze(client, INSULT, "TOXICITY", "LIKELY_TO_REJECT")
        assert unknown.value.status_code == 400
        assert unknown.value.reason.startswith("Attribute LIKELY_TO_REJECT does not exist.")

        with pytest.raises(HttpError) as too_long:
            _analyze(client, "x" * 20_481, "TOXICITY")
        assert too_long.value.status_code == 400
        assert "comment.text" in too_long.value.reason

        suggested = (
            client.comments()
            .suggestscore(
                body={
                    "comment": {"text": INSULT},
                    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}},
                    "languages": ["en"],
                    "communityId": "forum-1",
                    "clientToken": "c-2",
                }
            )
            .execute()
        )
        assert suggested == {
            "detectedLanguages": ["en"],
            "requestedLanguages": ["en"],
            "clientToken": "c-2",
        }

    out = tmp_path / "suggestions.jsonl"
    exported = run_cli(tmp_path, "export-suggestions", "--tenant", "acme", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (record["text"], record["labels"]) == (INSULT, {"TOXICITY": 0.9})
    assert (record["community_id"], record["client_token"]) == ("forum-1", "c-2")
    assert record["model_scores"]["TOXICITY"] == toxicity
