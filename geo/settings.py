"""One Settings object: from `DRILLMAP_*` environment variables, then command-line flags.

Every entry point (the CLI, the app factory, the tests) reads configuration from here, so a
store, a folder or a switch is named once: `DRILLMAP_STORE=files` (the embedded default) or a
`postgresql://user@host:port/db` address (the PostGIS store), `DRILLMAP_LAYERS`,
`DRILLMAP_SEEDS`, `DRILLMAP_WORKERS`, `DRILLMAP_SCHEDULER`, `DRILLMAP_ALLOW_WRITES`,
`DRILLMAP_USERS_FILE`, `DRILLMAP_ALLOWED_HOSTS`, `DRILLMAP_REQUEST_SECONDS`, `DRILLMAP_EXAMPLES`,
`DRILLMAP_BEHIND_PROXY`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from geo.errors import InvalidParameter

ENV_PREFIX = "DRILLMAP_"
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Settings:
    store: str = "files"  # the backend's name or address, for geo.storage.registry
    layers_dir: Path = Path("layers")  # the file store's built layers
    seeds_dir: Path = Path("seeds")  # the file store's documents
    workers: int = 1  # extraction processes of a build or ingest (on Dask when more than 1)
    scheduler: str = ""  # a Dask scheduler's address (tcp://host:port); empty: a local cluster
    allow_writes: bool = False  # writes from off loopback (the web form), see webapp.pages.ingest
    host: str = "127.0.0.1"  # where the server listens; writes are allowed on loopback
    users_file: Path = Path("var/users.json")  # who may write off loopback (drillmap users)
    allowed_hosts: tuple[str, ...] = ()  # host names the server answers to (comma-separated)
    examples: bool = True  # include the example corpus shipped in seeds/examples/ in builds
    request_seconds: int = 30  # a read request's time budget before it ends with 503 (geo.budget)
    # Behind a reverse proxy (deploy/nginx-drillmap.conf): every request may come from anywhere,
    # so a loopback-bound server is treated as off loopback (writes need --allow-writes and a
    # signed-in user) and answers only the names of DRILLMAP_ALLOWED_HOSTS.
    behind_proxy: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then `DRILLMAP_*` variables, then the overrides that are not None."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = env.get(ENV_PREFIX + _env_name(spec.name))
            if raw is not None:
                values[spec.name] = _parse(spec.name, raw, getattr(cls, spec.name))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **{k: _coerce(k, v) for k, v in values.items()})


def _env_name(field_name: str) -> str:
    return field_name.removesuffix("_dir").upper()


def _parse(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.strip().lower() in TRUE:
            return True
        if raw.strip().lower() in FALSE:
            return False
        raise InvalidParameter(f"{ENV_PREFIX}{_env_name(name)} must be true or false, got {raw!r}")
    if isinstance(default, tuple):
        return tuple(item.strip().lower() for item in raw.split(",") if item.strip())
    if isinstance(default, int):
        if not (raw.isascii() and raw.strip().isdigit()) or int(raw) < 1:
            raise InvalidParameter(f"{ENV_PREFIX}{_env_name(name)} must be a positive integer")
        return int(raw)
    return raw


def _coerce(name: str, value: Any) -> Any:
    return Path(value) if name.endswith(("_dir", "_file")) else value
