"""The API key that guards every write route (constant-time comparison)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

__all__ = ["WriteAccess", "require_api_key"]


def require_api_key(request: Request) -> None:
    """Refuse the request unless it carries the configured API key.

    The key is read from ``X-API-Key`` or ``Authorization: Bearer <key>``. With no key
    configured, every write is refused (403): a server never accepts anonymous writes.
    """
    expected = request.app.state.settings.api_key
    if expected is None:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "writes are disabled: set CMKG_API_KEY to enable them",
        )
    given = request.headers.get("x-api-key")
    if given is None:
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else None
    if not given or not hmac.compare_digest(
        given.encode("utf-8"), expected.get_secret_value().encode("utf-8")
    ):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid API key is required (X-API-Key header or Authorization: Bearer)",
            headers={"WWW-Authenticate": "Bearer"},
        )


WriteAccess = Annotated[None, Depends(require_api_key)]
