"""Detection calculators over the sensor models (``bulwark radar pd|snr|range``)."""
from __future__ import annotations

import builtins
from typing import Iterable, Optional, Union

import pandas as _pandas

from . import _bulwark

Swerling = Union[int, str]


def pd(swerling: Swerling, snr_db: float, pfa: float, pulses: int = 1) -> float:
    """Probability of detection for single-pulse SNR `snr_db` (dB), Swerling case 0–4,
    `pulses` integrated non-coherently (square-law detector)."""
    return _bulwark.radar_pd(str(swerling), builtins.float(snr_db), builtins.float(pfa), int(pulses))


def snr(swerling: Swerling, pd: float, pfa: float, pulses: int = 1) -> float:
    """Single-pulse SNR (dB) needed for probability of detection `pd`."""
    return _bulwark.radar_snr(str(swerling), float(pd), float(pfa), int(pulses))


def range(  # noqa: A001 - the CLI's name
    radar: str, rcs: Iterable[Union[float, str]], pd: float = 0.9, pfa: Optional[float] = None
) -> _pandas.DataFrame:
    """Free-space detection range of catalog radar `radar` for each RCS (m² as numbers, or unit
    strings like ``"-20 dBsm"``): columns ``rcs_m2``, ``range_m``, ``within_instrumented_range``,
    then the ``pd`` and ``pfa`` used."""
    texts = [r if isinstance(r, str) else f"{float(r)!r} m2" for r in rcs]
    pfa_used, rows = _bulwark.radar_range(radar, texts, float(pd), pfa)
    frame = _pandas.DataFrame(rows, columns=["rcs_m2", "range_m", "within_instrumented_range"])
    frame["pd"] = float(pd)
    frame["pfa"] = pfa_used
    return frame
