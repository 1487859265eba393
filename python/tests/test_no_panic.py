"""No panic crosses into Python: malformed input of every entry point raises the package's
exceptions (a Rust panic would surface as pyo3's PanicException, a BaseException that
`pytest.raises(bulwark.BulwarkError)` does not catch, so such a case fails here)."""
from __future__ import annotations

import pathlib

import pytest

import bulwark
from bulwark import _bulwark

SMALL = pathlib.Path(__file__).resolve().parent / "data" / "campaign.toml"
NAN = float("nan")

CASES = {
    "run: not TOML": lambda: _bulwark.run("[scenario\nname = ", None, 1, None),
    "run: binary": lambda: _bulwark.run("\x00\xff[[[", "<bin>", 1, None),
    "run: empty": lambda: _bulwark.run("[scenario]\n", None, 1, None),
    "run: missing file": lambda: _bulwark.run(None, "/nonexistent/s.toml", 1, None),
    "run: negative duration": lambda: bulwark.scenario.reference().with_values({"scenario.duration": "-5 s"}),
    "run: nan step": lambda: bulwark.scenario.reference().with_values({"scenario.time_step": "nan s"}),
    "with_values: bad json": lambda: _bulwark.with_values(bulwark.scenario.reference().text, "{"),
    "with_values: null": lambda: _bulwark.with_values(bulwark.scenario.reference().text, '{"scenario.seed": null}'),
    "catalog: missing dir": lambda: _bulwark.catalog_list("/nonexistent"),
    "catalog: unknown id": lambda: _bulwark.catalog_describe("NO-SUCH"),
    "radar.pd: nan": lambda: _bulwark.radar_pd("1", NAN, 1e-6, 10),
    "radar.pd: zero pulses": lambda: _bulwark.radar_pd("1", 13.0, 1e-6, 0),
    "radar.snr: pd 1": lambda: _bulwark.radar_snr("3", 1.0, 1e-6, 4),
    "radar.range: bad rcs": lambda: _bulwark.radar_range("92N6E", ["-1 m2", "nan m2"]),
    "track: garbage": lambda: _bulwark.track("[tracker\n", "c.toml", "a,b\n1,2\n", "d.csv"),
    "campaign: missing file": lambda: bulwark.campaign("/nonexistent/c.toml"),
    "campaign: not TOML": lambda: _bulwark.campaign("/dev/null", "/nonexistent-out", 1, 0, 1, False, False),
    "campaign: shard count 0": lambda: bulwark.campaign(SMALL, shard=(0, 0)),
    "merge: nothing": lambda: bulwark.merge([]),
    "merge: not a campaign": lambda: bulwark.merge(["/nonexistent"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_raises_the_package_exception(name):
    with pytest.raises(bulwark.BulwarkError):
        CASES[name]()
