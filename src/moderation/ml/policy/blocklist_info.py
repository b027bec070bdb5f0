from pydantic import BaseModel, ConfigDict, Field

MAX_BLOCKLIST_DESCRIPTION = 1024
# Azure's own rules for blocklist names; item ids use the same characters, so both travel in a
# URL path unescaped.
NAME_PATTERN = r"^[0-9A-Za-z._~-]{1,64}$"


class BlocklistInfo(BaseModel):
    """A named text blocklist's own data (Azure AI Content Safety's `TextBlocklist`).

    Its items are not kept here but as the policy's term rules with ids
    `blocklist:<name>:<item id>`, so they are matched like every other rule (normalised text:
    "f4ck" hits "fuck") and act on every route of the tenant, not only on Azure's.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str | None = Field(default=None, max_length=MAX_BLOCKLIST_DESCRIPTION)
