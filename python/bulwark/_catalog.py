"""`bulwark.catalog()`: the catalog's entries with their sources."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import _bulwark
from ._tables import PathLike


@dataclass(frozen=True)
class CatalogEntry:
    """One catalog entry: ``kind`` (radar, interceptor, launcher, system, …), ``id``, ``name``
    and ``text``: every value with its source, as ``bulwark catalog show ID`` prints it."""

    kind: str
    id: str
    name: str
    text: str


def catalog(dir: Optional[PathLike] = None) -> list[CatalogEntry]:  # noqa: A002 - the CLI's flag
    """Every entry of the embedded catalog (or of the catalog directory `dir`), in
    ``bulwark catalog`` order."""
    d = None if dir is None else str(dir)
    return [CatalogEntry(k, i, n, _bulwark.catalog_describe(i, d)) for k, i, n in _bulwark.catalog_list(d)]
