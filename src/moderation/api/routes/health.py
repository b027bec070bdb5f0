"""Liveness and readiness probes (no credential needed)."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from moderation.api.dependencies import ResourcesDep

router = APIRouter(prefix="/health", tags=["health"])

_LIVE_EXAMPLE = {"status": "ok"}
_READY_EXAMPLE = {"status": "ready", "database": True, "models": True, "model_version": "1.1.0"}


@router.get(
    "/live",
    responses={200: {"content": {"application/json": {"example": _LIVE_EXAMPLE}}}},
)
async def live() -> dict[str, str]:
    """The process is up and serving HTTP."""
    return {"status": "ok"}


@router.get(
    "/ready",
    responses={
        200: {"content": {"application/json": {"example": _READY_EXAMPLE}}},
        503: {
            "description": "Database unreachable or models still loading",
            "content": {
                "application/json": {
                    "example": {"status": "starting", "database": True, "models": False}
                }
            },
        },
    },
)
async def ready(resources: ResourcesDep) -> JSONResponse:
    """Ready to take traffic: the database answers and the models are loaded."""
    database = await resources.database.ping()
    models = resources.ready.is_set() and resources.scorer is not None
    body: dict[str, Any] = {
        "status": "ready" if database and models else "starting",
        "database": database,
        "models": models,
    }
    if resources.scorer is not None:
        body["model_version"] = resources.scorer.model_version
    if resources.startup_error:
        body["status"] = "failed"
        body["error"] = resources.startup_error
    ok = database and models
    return JSONResponse(body, status_code=200 if ok else 503, headers=_no_retry(ok))


def _no_retry(ok: bool) -> dict[str, str] | None:
    return None if ok else {"Retry-After": "5"}
