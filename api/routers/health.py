"""Routes for health (placeholder router until its issue lands)."""

from fastapi import APIRouter

router = APIRouter(tags=["health"])
