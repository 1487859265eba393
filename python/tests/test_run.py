"""`bulwark.run` equals `bulwark run`: summary byte for byte, tables value for value."""
from __future__ import annotations

import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import bulwark

CSV_TABLES = ["tracks", "truth", "timeline", "threats", "fratricide"]


def test_summary_equals_cli_byte_for_byte(cli_run3, py_run3):
    run, _ = py_run3
    text = (cli_run3 / "summary.json").read_text()
    assert run.summary_json == text
    assert run.summary == json.loads(text)
    assert json.dumps(run.summary, indent=2) + "\n" == json.dumps(json.loads(text), indent=2) + "\n"
    assert run.seed == 3


def test_track_rows_equal_cli(cli_run3, py_run3):
    run, _ = py_run3
    rows = (cli_run3 / "tracks.csv").read_text().count("\n") - 1
    assert len(run.tracks) == rows > 0


@pytest.mark.parametrize("name", CSV_TABLES)
def test_tables_value_for_value(cli_run3, py_run3, name):
    run, _ = py_run3
    path = cli_run3 / f"{name}.csv"
    assert run.files[f"{name}.csv"] == path.read_text()
    # Same columns and values as pandas' own reader of the CLI's file.
    theirs = pd.read_csv(path)
    ours = getattr(run, name)
    assert list(ours.columns) == list(theirs.columns)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    # And the Arrow table equals pyarrow's reader of the file (empty fields null).
    arrow = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    ours_arrow = run.arrow(name)
    assert ours_arrow.column_names == arrow.column_names
    for i, field in enumerate(arrow.schema):
        if pa.types.is_null(field.type):  # a column with no value: float64 nulls here
            assert ours_arrow.column(i).null_count == len(ours_arrow)
        else:
            assert ours_arrow.column(i).equals(arrow.column(i)), field.name


def test_events_equal_cli(cli_run3, py_run3):
    run, _ = py_run3
    lines = (cli_run3 / "events.jsonl").read_text().splitlines()
    assert run.files["events.jsonl"].splitlines() == lines
    ev = run.events
    assert len(ev) == len(lines)
    first = json.loads(lines[0])
    assert {k: ev.iloc[0][k] for k in first} == first


def test_out_writes_the_cli_files(cli_run3, py_run3):
    _, out = py_run3
    for f in ["summary.json", "events.jsonl", "truth.csv", "tracks.csv", "timeline.csv", "threats.csv"]:
        assert (out / f).read_bytes() == (cli_run3 / f).read_bytes(), f


def test_arrow_capsule_for_polars_and_pyarrow(py_run3):
    run, _ = py_run3
    t = run.timeline
    assert hasattr(t, "__arrow_c_stream__")
    assert pl.DataFrame(t).shape == t.shape
    assert pa.table(t).num_rows == len(t)
    assert run.polars("tracks").height == len(run.tracks)


def test_out_refuses_a_directory_that_is_not_a_run(tmp_path):
    """As `bulwark run --out`: a run replaces its whole directory, so one holding other files
    is refused before the run, and left as it was."""
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(bulwark.BulwarkError, match="no summary.json"):
        bulwark.run(seed=3, out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_every_cli_file_is_in_the_run(cli_run3, py_run3):
    """`Run.files` holds every file `bulwark run` writes (read back from what the engine wrote),
    so a table the engine adds (e.g. exposure.csv) reaches Python without a list here."""
    run, out = py_run3
    cli_files = sorted(p.name for p in cli_run3.iterdir() if p.is_file() and not p.name.startswith("."))
    assert sorted(run.files) == cli_files
    assert sorted(bulwark.run(seed=3).files) == cli_files


def test_exposure_from_the_run_or_a_clear_error(cli_run3, py_run3):
    run, _ = py_run3
    path = cli_run3 / "exposure.csv"
    if path.exists():  # an engine that writes the exposure table: value for value
        pd.testing.assert_frame_equal(run.exposure, pd.read_csv(path), check_dtype=False)
    else:
        with pytest.raises(bulwark.BulwarkError, match="no exposure table: this run wrote no exposure.csv"):
            run.exposure


def test_load_run_reads_exposure_from_the_directory(py_run3, tmp_path):
    """A run directory with an exposure.csv (written here, a stand-in with the same shape of
    file) gives it as `.exposure`, equal to pandas' own reader; one without says so and where."""
    _, out = py_run3
    loaded = bulwark.load_run(out)
    assert loaded.summary_json == (out / "summary.json").read_text()
    assert len(loaded.tracks) == (out / "tracks.csv").read_text().count("\n") - 1
    d = tmp_path / "run"
    d.mkdir()
    for f in ["summary.json", "tracks.csv"]:
        (d / f).write_bytes((out / f).read_bytes())
    if not (out / "exposure.csv").exists():
        with pytest.raises(bulwark.BulwarkError, match=f"no exposure.csv in {d}"):
            bulwark.load_run(d).exposure
    (d / "exposure.csv").write_text("t_s,threat,radar,exposed\n0,CM-1,91N6E,1\n0.1,CM-1,91N6E,\n")
    ours = bulwark.load_run(d).exposure
    pd.testing.assert_frame_equal(ours, pd.read_csv(d / "exposure.csv"), check_dtype=False)
    with pytest.raises(bulwark.InputError, match="not a run directory"):
        bulwark.load_run(tmp_path)
