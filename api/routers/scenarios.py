"""Routes for scenarios (placeholder router until its issue lands)."""

from fastapi import APIRouter

router = APIRouter(tags=["scenarios"])
