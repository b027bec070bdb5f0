"""Azure AI Content Safety compatible routes: `text:analyze` and text blocklists."""

from fastapi import APIRouter

router = APIRouter(tags=["azure"])
