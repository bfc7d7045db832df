"""Settings from flags and the environment (``CMKG_*``), behind a cached getter."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Every knob of the service. Each field reads ``CMKG_<NAME>`` from the environment.

    >>> Settings(store="memory").store
    'memory'
    """

    model_config = SettingsConfigDict(env_prefix="CMKG_", extra="ignore")

    # where the graph lives
    store: Literal["embedded", "memory", "remote"] = "embedded"
    store_path: Path = Path("var/store")
    preload: bool = Field(
        True, description="load the ontology, reference data and samples on first start"
    )
    # remote SPARQL store (scale-out)
    sparql_query_url: str | None = None
    sparql_update_url: str | None = None
    sparql_gsp_url: str | None = None
    sparql_user: str | None = None
    sparql_password: SecretStr | None = None
    # HTTP service
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: SecretStr | None = Field(
        None, description="required for writes; writes are refused when unset"
    )
    # limits
    query_timeout: float = Field(10.0, gt=0, description="seconds before a query is cancelled")
    max_query_bytes: int = Field(1_000_000, gt=0)
    max_upload_bytes: int = Field(25_000_000, gt=0)
    max_article_bytes: int = Field(5_000_000, gt=0)
    result_row_cap: int = Field(100_000, gt=0)
    max_concurrent_queries: int = Field(4, gt=0)


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
