"""Runs spread over a Dask LocalCluster equal the same runs in this process, byte for byte.

The recipe (the same code runs on a real Dask cluster, given its scheduler address): a task
per seed, each returning its summary.json text; the results gathered in seed order."""
from __future__ import annotations

import pathlib

import pytest

import bulwark

RAID = pathlib.Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "raid.toml"


def summary_of(path: str, count: int, seed: int) -> str:
    """One run on a worker: the raid scenario with `count` missiles."""
    import bulwark

    values = {"threat.CM raid west.count": count, "scenario.duration": "4 min"}
    s = bulwark.scenario.load(path).with_values(values)
    return bulwark.run(s, seed=seed).summary_json


def test_local_cluster_equals_in_process():
    distributed = pytest.importorskip("distributed")
    work = [(2, 1), (2, 2)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            futures = [client.submit(summary_of, str(RAID), n, seed, pure=False) for n, seed in work]
            remote = client.gather(futures)
    local = [summary_of(str(RAID), n, seed) for n, seed in work]
    assert remote == local
