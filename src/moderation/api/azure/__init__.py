"""Azure AI Content Safety compatible routes: category mapping, api-version, error envelope."""

from moderation.api.azure.azure_mapper import UNSUPPORTED, AzureContentSafetyMapper

__all__ = ["UNSUPPORTED", "AzureContentSafetyMapper"]
