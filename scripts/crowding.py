#!/usr/bin/env python3
"""Measure the CPU time and peak memory of a tight cruise-missile group against `validate`'s
estimate: the figures behind `a_tight_group_is_estimated_above_its_measured_cpu`
(crates/bulwark-engine/tests/budget.rs), which builds the same scenario.

The reference scenario's western cruise-missile group becomes a formation of N at 8 km, in
sight of the radars for 6 min, 10 m apart and launched 0.01 s apart: every plot falls in the
gates of many tracks, the tracker's worst case.

    python3 scripts/crowding.py --bulwark target/debug/bulwark 500 2000

prints one row per N: the CPU (user + system) and peak resident memory of `bulwark run`
(from the child's rusage), and the CPU and memory `bulwark validate` estimates. Python 3.11,
standard library only.
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The same edits as `crowded(n)` in crates/bulwark-engine/tests/budget.rs.
EDITS = [
    ('duration = "20 min"', 'duration = "6 min"'),
    ('{ lat = 40.30, lon = -42.30, alt = "30 m", speed = "Mach 0.75" },',
     '{ lat = 40.30, lon = -41.30, alt = "8000 m", speed = "Mach 0.75" },'),
    ('{ lat = 40.10, lon = -40.60, alt = "30 m" },', '{ lat = 40.10, lon = -40.60, alt = "8000 m" },'),
]
GROUP = 'count = 6\nstart = "20 s"\nspacing = "8 s"\nlateral_spacing = "1.5 km"'


def crowded(reference: str, n: int) -> str:
    if GROUP not in reference:
        sys.exit("scripts/crowding.py: the reference scenario's western group is not as expected")
    text = reference.replace(GROUP, f'count = {n}\nstart = "0 s"\nspacing = "0.01 s"\nlateral_spacing = "10 m"', 1)
    for old, new in EDITS:
        if old not in text:
            sys.exit(f"scripts/crowding.py: `{old}` not found in the reference scenario")
        text = text.replace(old, new)
    return text


def run(cmd: list[str]) -> tuple[int, float, int, str]:
    """Exit status, CPU seconds, peak RSS (kB) and stdout+stderr of `cmd`."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out


def estimate(text: str) -> tuple[str, str]:
    """The CPU and memory figures `validate` prints (as printed)."""
    cpu = re.search(r"at most (\S+ \S+) CPU", text)
    mem = re.search(r"CPU, (\S+ \S+) memory", text)
    return (cpu.group(1) if cpu else "?", mem.group(1) if mem else "?")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bulwark", default=str(ROOT / "target/debug/bulwark"))
    ap.add_argument("sizes", nargs="*", type=int, default=[500, 2000])
    args = ap.parse_args()
    reference = (ROOT / "scenarios/reference.toml").read_text()
    print("| N | run CPU (s) | run peak RSS (MB) | validate's estimate |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bulwark-crowding-") as tmp:
        for n in args.sizes:
            path = pathlib.Path(tmp) / f"crowded-{n}.toml"
            path.write_text(crowded(reference, n))
            code, _, _, checked = run([args.bulwark, "validate", str(path)])
            if code != 0:
                print(checked, file=sys.stderr)
                return 1
            cpu_est, mem_est = estimate(checked)
            code, cpu, rss_kb, out = run([args.bulwark, "run", str(path), "--out", str(pathlib.Path(tmp) / f"run-{n}")])
            if code != 0:
                print(out, file=sys.stderr)
                return 1
            print(f"| {n} | {cpu:.1f} | {rss_kb / 1024:.0f} | {cpu_est} CPU, {mem_est} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
