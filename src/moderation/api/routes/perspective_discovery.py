"""The Perspective API's discovery document, for `googleapiclient.discovery.build`."""

from fastapi import APIRouter

router = APIRouter(tags=["perspective"])
