"""Shared dependencies as ``Annotated`` aliases (``StoreDep``, ``SettingsDep``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from cmkg.graph.store import Store

from .settings import Settings

__all__ = ["SettingsDep", "StoreDep", "open_app_store"]


def open_app_store(settings: Settings) -> Store:
    """Open the store the settings name (the embedded default is created on first start)."""
    raise NotImplementedError("store backends land with issue #2")


def _store(request: Request) -> Store:
    return request.app.state.store


def _settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[Store, Depends(_store)]
SettingsDep = Annotated[Settings, Depends(_settings)]
