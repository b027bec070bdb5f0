from pydantic import ConfigDict, Field

from moderation.api.schemas.webhook_response import WEBHOOK_EXAMPLE, WebhookResponse


class CreatedWebhookResponse(WebhookResponse):
    """The endpoint just registered, with its generated signing secret: store it now."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**WEBHOOK_EXAMPLE, "secret": "whsec_<generated, shown once>"}]
        }
    )

    secret: str | None = Field(
        description="The generated secret (`whsec_…`), shown this once; null when you supplied "
        "your own."
    )
