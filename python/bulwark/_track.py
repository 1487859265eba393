"""`bulwark.track`: the tracker on your own detections (``bulwark track --detections``)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import pandas as pd
import pyarrow as pa

from . import _bulwark
from ._tables import FrameLike, PathLike, csv_table, to_csv_text


@dataclass
class TrackResult:
    """Confirmed tracks of every scan (``tracks``, the CLI's tracks CSV as a DataFrame;
    ``tracks_csv`` its exact text), counts, fusion counts, and, given truth, ``metrics`` (the
    ``--metrics-json`` document: GOSPA, OSPA, SIAP) and ``metrics_text`` (the CLI's lines)."""

    tracks_csv: str
    scans: int
    detections: int
    initiated: int
    confirmed: int
    fusion: Optional[dict[str, Any]]
    metrics: Optional[dict[str, Any]]
    metrics_text: Optional[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def tracks(self) -> pd.DataFrame:
        return self.arrow().to_pandas()

    def arrow(self) -> pa.Table:
        return csv_table(self.tracks_csv)


def _config_text(config: Union[PathLike, str]) -> tuple[str, str]:
    if isinstance(config, os.PathLike) or (isinstance(config, str) and "\n" not in config and "[" not in config):
        path = os.fspath(config)
        try:
            with open(path, encoding="utf-8") as f:
                return f.read(), path
        except OSError as e:
            raise _bulwark.InputError(f"error: {path}: {e}") from None
    return str(config), "<config>"


def track(
    detections: Union[FrameLike, PathLike],
    config: Union[PathLike, str],
    truth: Union[FrameLike, PathLike, None] = None,
    *,
    gospa_c: float = 1000.0,
    gospa_p: float = 2.0,
    siap_threshold: float = 250.0,
    time_tolerance: float = 1e-6,
) -> TrackResult:
    """Runs the tracker that `config` (a tracker TOML path or text) describes on `detections`
    (a DataFrame/Arrow table or a CSV path, columns as ``bulwark track --detections``:
    ``scan,t_s,bearing_rad,range_m[,elevation_rad,range_rate_mps,sensor,x_m,y_m,z_m]``); with
    `truth` (``t_s,truth_id,x_m,y_m[,z_m,vx_mps,vy_mps,vz_mps]``) also scores the tracks."""
    cfg_text, cfg_name = _config_text(config)
    det_text, det_name = to_csv_text(detections)
    truth_text, truth_name = to_csv_text(truth) if truth is not None else (None, None)
    r = _bulwark.track(
        cfg_text, cfg_name, det_text, det_name, truth_text, truth_name,
        float(gospa_c), float(gospa_p), float(siap_threshold), float(time_tolerance),
    )
    return TrackResult(
        tracks_csv=r["tracks_csv"],
        scans=r["scans"],
        detections=r["detections"],
        initiated=r["initiated"],
        confirmed=r["confirmed"],
        fusion=None if r["fusion_json"] is None else json.loads(r["fusion_json"]),
        metrics=None if r["metrics_json"] is None else json.loads(r["metrics_json"]),
        metrics_text=r["metrics_text"],
        warnings=list(r["warnings"]),
    )


__all__ = ["TrackResult", "track"]
