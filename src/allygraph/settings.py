"""Settings, read once at the edge (CLI, web app) from options and ``ALLYGRAPH_*`` variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]

DEFAULT_BASE_URI = "http://127.0.0.1:8000/"


class Settings(BaseSettings):
    """Configuration of a build or a server.

    Every field can be set by an environment variable with the ``ALLYGRAPH_`` prefix, for
    example ``ALLYGRAPH_STORE=/srv/allygraph/store``.

    >>> Settings(base_uri="http://example.org/kg").base_uri
    'http://example.org/kg/'
    """

    model_config = SettingsConfigDict(env_prefix="ALLYGRAPH_", env_file=".env", extra="ignore")

    store: str = Field(default="var/store", description="Store path (or, later, a SPARQL URL).")
    base_uri: str = Field(default=DEFAULT_BASE_URI, description="Base under which IRIs are minted.")
    corpus: Path = Field(default=Path("data/corpus"), description="Default input folder.")
    gazetteer: Path | None = Field(
        default=None, description="Gazetteer folder; the packaged data/gazetteer/ when unset."
    )
    query_timeout: float = Field(default=30.0, gt=0, description="Seconds before a query stops.")
    max_rows: int = Field(default=100_000, gt=0, description="Result-row cap of /sparql.")
    service_enabled: bool = Field(default=False, description="Allow SPARQL SERVICE clauses.")
    service_allowlist: list[str] = Field(
        default_factory=lambda: ["https://query.wikidata.org/sparql"],
        description="Endpoints SERVICE may call when enabled.",
    )
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])

    @field_validator("base_uri")
    @classmethod
    def _check_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            msg = f"ALLYGRAPH_BASE_URI: must be an http(s) URL (got {value!r})"
            raise ValueError(msg)
        return value if value.endswith("/") else value + "/"
