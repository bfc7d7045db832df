"""Routes for paths (placeholder router until its issue lands)."""

from fastapi import APIRouter

router = APIRouter(tags=["paths"])
