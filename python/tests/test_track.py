"""`bulwark.track` on a Stone Soup peer benchmark case equals `bulwark track`."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import polars as pl
import pytest

import bulwark

from _helpers import ROOT, cli

CONFIG = ROOT / "benches" / "peers" / "tracker.toml"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """The peers' generator: 10 targets, 20 clutter per scan, seed 1, 40 scans."""
    out = tmp_path_factory.mktemp("peers")
    gen = ROOT / "benches" / "peers" / "generate.py"
    subprocess.run([sys.executable, str(gen), "--out", str(out), "--n", "10", "--clutter", "20", "--scans", "40"], check=True)
    return out / "n10_c20_s1"


@pytest.fixture(scope="module")
def cli_tracks(case, tmp_path_factory):
    d = tmp_path_factory.mktemp("trk")
    cli("track", "--detections", str(case / "detections.csv"), "--config", str(CONFIG), "--truth",
        str(case / "truth.csv"), "--out", str(d / "tracks.csv"), "--metrics-json", str(d / "metrics.json"))
    return (d / "tracks.csv").read_text(), json.loads((d / "metrics.json").read_text())


def test_same_tracks_and_metrics_as_cli_from_files(case, cli_tracks):
    r = bulwark.track(case / "detections.csv", CONFIG, truth=case / "truth.csv")
    assert r.tracks_csv == cli_tracks[0]
    assert r.metrics == cli_tracks[1]
    assert len(r.tracks) == cli_tracks[0].count("\n") - 1 > 0
    assert r.scans == 40 and r.confirmed > 0


def test_same_tracks_from_dataframes(case, cli_tracks):
    det = pd.read_csv(case / "detections.csv")
    truth = pd.read_csv(case / "truth.csv")
    r = bulwark.track(det, str(CONFIG), truth=truth)
    assert r.tracks_csv == cli_tracks[0]
    assert r.metrics == cli_tracks[1]
    r2 = bulwark.track(pl.read_csv(case / "detections.csv"), CONFIG.read_text())
    assert r2.tracks_csv == cli_tracks[0] and r2.metrics is None


def test_bad_detections_raise_with_place(case, tmp_path):
    lines = (case / "detections.csv").read_text().splitlines()
    fields = lines[3].split(",")
    fields[3] = "far"
    lines[3] = ",".join(fields)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(bulwark.InputError) as e:
        bulwark.track(bad, CONFIG)
    col = len(",".join(fields[:3])) + 2
    assert (e.value.file, e.value.line, e.value.column) == (str(bad), 4, col)
    r = cli("track", "--detections", str(bad), "--config", str(CONFIG), "--out", str(tmp_path / "t.csv"), check=False)
    assert r.returncode == 2 and f"{bad}:4:{col}:" in r.stderr


def test_bad_config_raises_scenario_error(case):
    with pytest.raises(bulwark.ScenarioError) as e:
        bulwark.track(case / "detections.csv", "[sensor]\nmeasurement = \"sonar\"\n")
    assert e.value.file == "<config>" and e.value.line == 2
