from typing import Protocol


class EgressPolicy(Protocol):
    """Whether the service may call a URL a tenant supplied (a webhook endpoint).

    Implemented in infrastructure (it resolves host names); the domain only asks."""

    async def refusal(self, url: str) -> str | None:
        """Why `url` may not be called, fit to show to the tenant; None when it may."""
        ...
