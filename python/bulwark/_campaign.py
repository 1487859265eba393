"""`bulwark.campaign` and `bulwark.merge`: Monte Carlo studies and designed sweeps, run by the
same Rust code as ``bulwark campaign`` (crates/bulwark-campaign), so the directory's files are
the CLI's, byte for byte, whatever ``jobs`` and however the work is sharded."""
from __future__ import annotations

import json
import os
import pathlib
import re
import tempfile
from typing import Any, Iterable, Optional, Union

from . import _bulwark
from ._run import Run, load_run
from ._tables import PathLike, Tables, table

#: Table name → the file a whole (or merged) campaign writes it to (docs/campaigns.md).
TABLES = {"runs": "runs.csv", "points": "points.csv", "paired": "paired.csv"}

#: The text files kept in memory: the tables, the report and the manifest, and a shard's rows.
_TEXT = re.compile(r"^(runs\.csv|points\.csv|paired\.csv|report\.md|manifest\.json|rows-\d+-of-\d+\.jsonl)$")

ShardLike = Union[None, str, "tuple[int, int]"]


class Campaign(Tables):
    """A campaign's outputs: ``runs`` (one row per run: point, replication, seed, status,
    factors, metrics), ``points`` (one row per design point: per metric ``<m>.n/.mean/.low/
    .high``, per event ``p.<e>.k/.estimate/.low/.high/.method`` at ``level``) and ``paired``
    (paired differences against each factor's baseline) as pandas DataFrames; ``manifest``
    (dict), ``report`` (report.md), ``files`` (the texts by name), ``dir`` (None when run
    without ``out``) and ``kept_run(p, r)`` (a run's full outputs after ``keep_runs=True``).
    A shard (``shard=(k, n)``) holds only its rows and manifest: pass it, or its directory,
    to ``bulwark.merge`` with the other shards."""

    TABLES = TABLES

    def __init__(
        self,
        files: dict[str, str],
        dir: Optional[PathLike],
        shard: tuple[int, int],
        counts: tuple[int, int, int, int, bool],
    ) -> None:
        super().__init__(files)
        self.dir: Optional[pathlib.Path] = None if dir is None else pathlib.Path(dir)
        self.shard = shard
        #: Runs of this shard in the directory, runs in the shard, runs made by this call,
        #: runs that ended in an error, and whether the shard is complete.
        self.done, self.total, self.ran, self.errors, self.complete = counts
        self.manifest: dict[str, Any] = json.loads(files["manifest.json"])

    def _missing(self, name: str, file: str) -> str:
        if self.shard[1] > 1:
            return f"this is shard {self.shard[0]}/{self.shard[1]}, rows only: bulwark.merge() every shard first"
        return f"no {file} in {self.dir}"

    runs = table("runs")
    points = table("points")
    paired = table("paired")

    def kept_run(self, point: int, replication: int) -> Run:
        """The full outputs of run (`point`, `replication`) of a campaign run with
        ``keep_runs=True`` into ``out`` (``DIR/runs/p<P>-r<R>/``)."""
        if self.dir is None:
            raise _input_error("error: kept_run: this campaign has no directory (run it with out=… and keep_runs=True)")
        return load_run(self.dir / "runs" / f"p{point}-r{replication}")

    @property
    def report(self) -> str:
        return self.files.get("report.md", "")

    @property
    def level(self) -> float:
        """The confidence level of every interval."""
        return float(self.manifest["level"])

    def __repr__(self) -> str:
        part = f", shard={self.shard[0]}/{self.shard[1]}" if self.shard[1] > 1 else ""
        return f"Campaign({self.manifest.get('name')!r}, runs={self.done}/{self.total}, errors={self.errors}{part})"


def _input_error(message: str) -> _bulwark.InputError:
    e = _bulwark.InputError(message)
    e.file, e.line, e.column, e.reason = None, None, None, message
    return e


def _shard(shard: ShardLike) -> tuple[int, int]:
    """``None`` (the whole campaign), ``"K/N"`` or ``(K, N)``: block K (0-based) of N."""
    if shard is None:
        return 0, 1
    if isinstance(shard, str):
        m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", shard)
        if not m:
            raise _input_error(f"error: shard {shard!r}: expected 'K/N', e.g. '0/4'")
        return int(m.group(1)), int(m.group(2))
    try:
        k, n = shard
        return int(k), int(n)
    except (TypeError, ValueError):
        raise _input_error(f"error: shard {shard!r}: expected 'K/N' or a pair (K, N)") from None


def _texts(dir: pathlib.Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(dir.iterdir()) if p.is_file() and _TEXT.match(p.name)}


def campaign(
    path: PathLike,
    jobs: Optional[int] = None,
    shard: ShardLike = None,
    out: Optional[PathLike] = None,
    resume: bool = False,
    keep_runs: bool = False,
) -> Campaign:
    """Runs the campaign file at `path` as ``bulwark campaign PATH --out OUT [--jobs J]
    [--shard K/N] [--resume] [--keep-runs]``, with the GIL released. Without `out` it runs in a
    temporary directory and keeps the tables' texts in memory. `jobs` defaults to the
    machine's cores; the results do not depend on it. Raises ``ScenarioError`` at
    file:line:col on a bad campaign or scenario, ``InputError`` on a directory or option that
    does not fit. Ctrl-C raises KeyboardInterrupt once the runs in flight have finished and
    been kept in `out` (``resume=True`` continues), as the CLI does."""
    k, n = _shard(shard)
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise _input_error(f"error: jobs {jobs!r}: expected a whole number ≥ 1")
    p = os.fspath(path)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="bulwark-campaign-") as tmp:
            counts = _bulwark.campaign(p, tmp, jobs, k, n, resume, keep_runs)
            return Campaign(_texts(pathlib.Path(tmp)), None, (k, n), counts)
    d = pathlib.Path(out)
    counts = _bulwark.campaign(p, os.fspath(d), jobs, k, n, resume, keep_runs)
    return Campaign(_texts(d), d, (k, n), counts)


def merge(shards: Iterable[Union[Campaign, PathLike]], out: Optional[PathLike] = None) -> Campaign:
    """``bulwark campaign merge DIR... --out OUT``: the shards (``Campaign`` objects, e.g.
    returned by workers, or their directories) of one campaign into its complete outputs,
    byte-identical to a single-process run. Raises ``InputError`` if they are not one campaign,
    disagree on a run, or a run is missing."""
    with tempfile.TemporaryDirectory(prefix="bulwark-merge-") as tmp:
        dirs = []
        for i, s in enumerate(shards):
            if isinstance(s, Campaign):
                d = pathlib.Path(tmp) / f"shard-{i}"
                d.mkdir()
                for name, text in s.files.items():
                    if name == "manifest.json" or name.startswith("rows-"):
                        (d / name).write_text(text, encoding="utf-8")
                dirs.append(os.fspath(d))
            else:
                dirs.append(os.fspath(s))
        target = pathlib.Path(out) if out is not None else pathlib.Path(tmp) / "merged"
        n = _bulwark.merge(dirs, os.fspath(target))
        return Campaign(_texts(target), out, (0, 1), (n, n, 0, _errors(target), True))


def _errors(dir: pathlib.Path) -> int:
    """Runs with ``status = error`` in a merged directory's runs.csv."""
    import pyarrow.csv as pacsv

    runs = pacsv.read_csv(dir / "runs.csv", convert_options=pacsv.ConvertOptions(include_columns=["status"]))
    return sum(1 for s in runs.column("status").to_pylist() if s != "ok")
