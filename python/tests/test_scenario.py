"""Scenarios in code, and bad input raised as the package's exceptions with their place."""
from __future__ import annotations

import re

import pytest

import bulwark

from _helpers import cli


def test_reference_and_load(tmp_path):
    ref = bulwark.scenario.reference()
    assert ref.seed == 1 and "Reference" in ref.name
    p = tmp_path / "s.toml"
    p.write_text(ref.text)
    s = bulwark.scenario.load(p)
    assert s.text == ref.text and s.path == str(p)


def test_with_values_edits_in_place():
    ref = bulwark.scenario.reference()
    s = ref.with_values({"threat.CM raid west.count": 8, "threat.Strike fighters.start": "5 s"})
    assert s.text == ref.text.replace("count = 6", "count = 8", 1).replace('start = "0 s"', 'start = "5 s"', 1)
    assert s.text.count("\n") == ref.text.count("\n")


def test_bad_path_names_what_exists():
    ref = bulwark.scenario.reference()
    with pytest.raises(bulwark.InputError, match="CM raid west, CM raid southwest") as e:
        ref.with_values({"threat.CM raid north.count": 8})
    assert isinstance(e.value, bulwark.BulwarkError)
    with pytest.raises(bulwark.InputError, match="expected an integer, got string"):
        ref.with_values({"threat.CM raid west.count": "many"})


def test_bad_value_raises_scenario_error_at_its_line():
    ref = bulwark.scenario.reference()
    with pytest.raises(bulwark.ScenarioError) as e:
        ref.with_values({"threat.CM raid west.spacing": "8 parsecs"})
    err = e.value
    line = next(i for i, l in enumerate(ref.text.splitlines(), 1) if l.startswith('spacing = "8 s"'))
    assert err.line == line and err.column == 11
    assert err.file == "scenarios/reference.toml (embedded)"
    assert f":{line}:11:" in str(err)


def test_scenario_error_matches_cli_validate(tmp_path):
    bad = tmp_path / "bad.toml"
    text = bulwark.scenario.reference().text.replace('time_step = "0.1 s"', 'time_step = "0.1 fortnights"')
    bad.write_text(text)
    r = cli("validate", str(bad), check=False)
    assert r.returncode == 2
    with pytest.raises(bulwark.ScenarioError) as e:
        bulwark.scenario.load(bad)
    err = e.value
    assert err.file == str(bad) and err.line == 9
    where = f"{bad}:{err.line}:{err.column}:"
    assert where in r.stderr and where in str(err)
    with pytest.raises(bulwark.ScenarioError):
        bulwark.run(bad)
    with pytest.raises(bulwark.ScenarioError):
        bulwark.run(text)


def test_unknown_key_and_unreadable_file(tmp_path):
    with pytest.raises(bulwark.ScenarioError, match=r"<scenario>:1:1"):
        bulwark.scenario.from_text("bogus = 1\n")
    with pytest.raises(bulwark.InputError):
        bulwark.scenario.load(tmp_path / "missing.toml")
    with pytest.raises(bulwark.ScenarioError) as e:
        bulwark.run(str(tmp_path / "missing.toml"))
    assert e.value.line is None
    with pytest.raises(TypeError):
        bulwark.run(42)  # type: ignore[arg-type]


def test_catalog_lists_the_cli_entries_with_sources():
    entries = bulwark.catalog()
    out = cli("catalog").stdout
    ids = re.findall(r"^  (\S+)", out, flags=re.M)
    assert [e.id for e in entries] == ids
    e = next(e for e in entries if e.id == "40N6E")
    assert e.text == cli("catalog", "show", "40N6E").stdout
    with pytest.raises(bulwark.InputError, match="no catalog entry"):
        bulwark._bulwark.catalog_describe("nope")


def test_radar_equals_cli():
    import json

    pd_cli = json.loads(cli("radar", "pd", "--swerling", "1", "--snr-db", "13", "--pfa", "1e-6", "--pulses", "10", "--json").stdout)
    assert bulwark.radar.pd(1, 13, 1e-6, 10) == pd_cli["pd"]
    snr_cli = json.loads(cli("radar", "snr", "--swerling", "3", "--pd", "0.9", "--pfa", "1e-6", "--pulses", "4", "--json").stdout)
    assert bulwark.radar.snr(3, 0.9, 1e-6, 4) == snr_cli["snr_db"]
    rng_cli = json.loads(cli("radar", "range", "--radar", "92N6E", "--rcs", "0.001 m2,0.1 m2,5 m2", "--json").stdout)
    t = bulwark.radar.range("92N6E", [0.001, "0.1 m2", 5])
    assert list(t["range_m"]) == [r["range_m"] for r in rng_cli["ranges"]]
    assert list(t["within_instrumented_range"]) == [r["within_instrumented_range"] for r in rng_cli["ranges"]]
    with pytest.raises(bulwark.InputError, match="expected 0, 1, 2, 3 or 4"):
        bulwark.radar.pd(7, 13, 1e-6)
    with pytest.raises(bulwark.InputError, match="radars: "):
        bulwark.radar.range("nope", [1.0])
