"""OpenAI's own client library against a real `moderation serve`."""

from pathlib import Path

import openai
import pytest
from tests.e2e.serve_support import create_key, serving, unknown_key


def test_openai_client_against_serve(tmp_path: Path, tiny_model_dir: Path) -> None:
    """The switch an OpenAI user makes: base URL and key, nothing else."""
    key = create_key(tmp_path, "acme", "moderate")
    with serving(tmp_path, tiny_model_dir) as base:
        texts = ["Have a lovely day, friend.", "You are a stupid idiot and I hate you"]
        with openai.OpenAI(api_key=key, base_url=f"{base}/v1", max_retries=0) as client:
            response = client.moderations.create(model="omni-moderation-latest", input=texts)
            single = client.moderations.create(input="I will kill you tomorrow, you idiot.")
        assert [r.flagged for r in response.results] == [False, True]
        assert response.results[1].categories.harassment is True
        assert len(single.results) == 1
        assert single.results[0].flagged is True
        with (
            openai.OpenAI(api_key=unknown_key(), base_url=f"{base}/v1", max_retries=0) as bad,
            pytest.raises(openai.AuthenticationError),
        ):
            bad.moderations.create(input="hello")
        with (
            openai.OpenAI(api_key=key, base_url=f"{base}/v1", max_retries=0) as client,
            pytest.raises(openai.APIStatusError) as too_large,
        ):
            # Over the 1 MiB body limit: the middleware's 413 still speaks OpenAI's envelope.
            client.moderations.create(input=["x" * 100_000] * 12)
        assert too_large.value.status_code == 413
        assert "exceeds the limit" in str(too_large.value.message)
