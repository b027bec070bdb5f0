"""Microsoft's own `azure-ai-contentsafety` client against a real `moderation serve`."""

from pathlib import Path

import pytest
from azure.ai.contentsafety import BlocklistClient, ContentSafetyClient
from azure.ai.contentsafety.models import (
    AddOrUpdateTextBlocklistItemsOptions,
    AnalyzeTextOptions,
    TextBlocklist,
    TextBlocklistItem,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from tests.e2e.serve_support import create_key, serving, unknown_key


def test_azure_client_against_serve(tmp_path: Path, tiny_model_dir: Path) -> None:
    """The switch an Azure user makes: endpoint and key, nothing else."""
    key = create_key(tmp_path, "acme", "moderate,policy:admin")
    with serving(tmp_path, tiny_model_dir) as base:
        credential = AzureKeyCredential(key)
        with BlocklistClient(base, credential, retry_total=0) as blocklists:
            blocklists.create_or_update_text_blocklist(
                "banned", TextBlocklist(blocklist_name="banned", description="never")
            )
            added = blocklists.add_or_update_blocklist_items(
                "banned",
                AddOrUpdateTextBlocklistItemsOptions(
                    blocklist_items=[TextBlocklistItem(text="zorblax", description="rival")]
                ),
            )
            listed = [b.blocklist_name for b in blocklists.list_text_blocklists()]
            items = [i.text for i in blocklists.list_text_blocklist_items("banned")]
        assert listed == ["banned"]
        assert items == ["zorblax"]
        with ContentSafetyClient(base, credential, retry_total=0) as client:
            friendly = client.analyze_text(AnalyzeTextOptions(text="Have a lovely day, friend."))
            hit = client.analyze_text(
                AnalyzeTextOptions(text="z0rbl4x is better", blocklist_names=["banned"])
            )
            with pytest.raises(HttpResponseError) as too_long:
                client.analyze_text(AnalyzeTextOptions(text="x" * 10_001))
        assert [c.category for c in friendly.categories_analysis] == [
            "Hate",
            "SelfHarm",
            "Sexual",
            "Violence",
        ]
        assert {c.severity for c in friendly.categories_analysis} == {0}
        assert [(m.blocklist_name, m.blocklist_item_id) for m in hit.blocklists_match or []] == [
            ("banned", added.blocklist_items[0].blocklist_item_id)
        ]
        assert too_long.value.status_code == 400
        assert too_long.value.error is not None
        assert too_long.value.error.code == "InvalidRequestBody"
        with (
            ContentSafetyClient(base, AzureKeyCredential(unknown_key()), retry_total=0) as bad,
            pytest.raises(ClientAuthenticationError),
        ):
            bad.analyze_text(AnalyzeTextOptions(text="hello"))
