"""`bulwark.campaign` and `bulwark.merge` equal `bulwark campaign` (the oracle: the CLI's files,
byte for byte), in one call, in shards, and on a Dask LocalCluster."""
from __future__ import annotations

import pathlib

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from _helpers import cli

import bulwark
import bulwark.distributed

SMALL = pathlib.Path(__file__).resolve().parent / "data" / "campaign.toml"
FILES = ["runs.csv", "points.csv", "paired.csv", "manifest.json", "report.md"]


@pytest.fixture(scope="module")
def cli_campaign(tmp_path_factory) -> pathlib.Path:
    """`bulwark campaign SMALL --out DIR --jobs 2`."""
    out = tmp_path_factory.mktemp("cli-campaign")
    cli("campaign", str(SMALL), "--out", str(out), "--jobs", "2")
    return out


def assert_same_files(campaign: bulwark.Campaign, cli_dir: pathlib.Path, dir: pathlib.Path | None = None):
    for f in FILES:
        assert campaign.files[f] == (cli_dir / f).read_text(), f
        if dir is not None:
            assert (dir / f).read_bytes() == (cli_dir / f).read_bytes(), f


def test_campaign_equals_cli(cli_campaign, tmp_path):
    c = bulwark.campaign(SMALL, jobs=1, out=tmp_path / "c")
    assert (c.done, c.total, c.errors, c.complete) == (4, 4, 0, True)
    assert_same_files(c, cli_campaign, tmp_path / "c")
    assert (tmp_path / "c" / "runs.parquet").read_bytes() == (cli_campaign / "runs.parquet").read_bytes()


def test_tables_value_for_value(cli_campaign):
    c = bulwark.campaign(SMALL, jobs=2)
    assert c.dir is None
    for name in ["runs", "points", "paired"]:
        theirs = pd.read_csv(cli_campaign / f"{name}.csv")
        pd.testing.assert_frame_equal(getattr(c, name), theirs, check_dtype=False)
    # The intervals are there, at the campaign's level.
    assert c.level == 0.95
    assert {"leakers.mean", "leakers.low", "leakers.high", "p.any_leak.method"} <= set(c.points.columns)
    assert len(c.runs) == 4 and len(c.points) == 2
    assert pl.DataFrame(c.points).height == 2
    assert pa.table(c.runs).num_rows == 4


def test_shards_merged_equal_cli(cli_campaign, tmp_path):
    parts = [bulwark.campaign(SMALL, jobs=1, shard=f"{k}/3", out=tmp_path / f"s{k}") for k in range(3)]
    assert sum(p.total for p in parts) == 4
    with pytest.raises(bulwark.BulwarkError, match="shard 0/3"):
        parts[0].runs
    # Shard objects (in memory) and shard directories merge alike.
    assert_same_files(bulwark.merge(parts), cli_campaign)
    merged = bulwark.merge([tmp_path / f"s{k}" for k in range(3)], out=tmp_path / "m")
    assert_same_files(merged, cli_campaign, tmp_path / "m")


def test_merge_refuses_missing_runs(tmp_path):
    part = bulwark.campaign(SMALL, jobs=1, shard=(0, 2))
    with pytest.raises(bulwark.InputError, match="runs are missing"):
        bulwark.merge([part], out=tmp_path / "m")


def test_bad_campaign_raises_at_its_place(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.read_text().replace("replications = 2", 'replications = "two"'))
    with pytest.raises(bulwark.ScenarioError) as e:
        bulwark.campaign(bad)
    assert e.value.file == str(bad)
    assert e.value.line == 6 and e.value.column is not None
    assert f"{bad}:6:" in str(e.value)
    # The CLI says the same place.
    r = cli("campaign", str(bad), "--out", str(tmp_path / "o"), check=False)
    assert r.returncode != 0 and f"{bad}:6:" in r.stderr


@pytest.mark.parametrize("shard", ["3/3", "1-of-2", (2, 0), "x"])
def test_bad_shard_is_an_input_error(shard):
    with pytest.raises(bulwark.InputError, match="shard"):
        bulwark.campaign(SMALL, shard=shard)


def test_dask_local_cluster_equals_cli(cli_campaign, tmp_path):
    """The recipe of bulwark.distributed on a LocalCluster: merged outputs equal the CLI's."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            c = bulwark.distributed.dask_campaign(client, SMALL, shards=2, out=tmp_path / "dask")
    assert_same_files(c, cli_campaign, tmp_path / "dask")


def test_the_gil_is_released_while_the_campaign_runs():
    """Another Python thread keeps running during the call: counted in iterations of a loop,
    not in time. Holding the GIL would leave it at most a switch interval (5 ms, some 10⁴–10⁵
    iterations) around the call; released, it runs for the whole campaign (4 runs)."""
    import threading

    count = [0]
    stop = threading.Event()
    inside: list[int] = []

    def work():
        before = count[0]
        bulwark.campaign(SMALL, jobs=1)
        inside.append(count[0] - before)
        stop.set()

    t = threading.Thread(target=work)
    t.start()
    while not stop.is_set():
        count[0] += 1
    t.join()
    assert inside[0] > 1_000_000, inside


def test_ctrl_c_stops_and_the_directory_resumes(cli_campaign, tmp_path):
    """As `bulwark campaign` on Ctrl-C: KeyboardInterrupt, the runs in flight kept, and
    `resume=True` completes the directory to the CLI's bytes (SIGINT sent at the first run's
    row, not after a time)."""
    import os
    import signal
    import threading

    out = tmp_path / "c"
    rows = out / "rows-0-of-1.jsonl"

    def interrupt_at_first_row():
        while not (rows.exists() and rows.read_text().count("\n") >= 1):
            threading.Event().wait(0.01)
        os.kill(os.getpid(), signal.SIGINT)

    t = threading.Thread(target=interrupt_at_first_row, daemon=True)
    t.start()
    with pytest.raises(KeyboardInterrupt):
        bulwark.campaign(SMALL, jobs=1, out=out)
    t.join()
    kept = rows.read_text().count("\n")
    assert 1 <= kept < 4 and not (out / "runs.csv").exists()
    c = bulwark.campaign(SMALL, jobs=1, out=out, resume=True)
    assert (c.ran, c.done, c.complete) == (4 - kept, 4, True)
    assert_same_files(c, cli_campaign, out)


def test_kept_run_equals_cli_only(tmp_path):
    """keep_runs=True: each run's full outputs, as `bulwark campaign --only P:R` writes them."""
    c = bulwark.campaign(SMALL, jobs=2, out=tmp_path / "c", keep_runs=True)
    cli("campaign", str(SMALL), "--only", "1:1", "--out", str(tmp_path / "only"))
    run = c.kept_run(1, 1)
    assert run.summary_json == (tmp_path / "only" / "summary.json").read_text()
    assert run.files["tracks.csv"] == (tmp_path / "only" / "tracks.csv").read_text()
    with pytest.raises(bulwark.InputError, match="not a run directory"):
        c.kept_run(5, 0)
