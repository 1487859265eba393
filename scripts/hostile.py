#!/usr/bin/env python3
"""Hostile-input harness (issue 19): mutates the project's own example inputs and runs each
mutant through the `bulwark` CLI under an address-space limit and a timeout, checking the
promises the project makes about bad input.

Families (each mutant is new: made from the examples by random operators, seeded):
  scenario   scenarios/reference.toml (a 90 s run of it)       -> validate, some run
  catalog    one file of catalog/ in a copied catalog dir      -> validate, some run
  tracker    examples/trackers/*.toml (bearing-range ones)     -> track --detections
  detections a generated bearing-range detections CSV          -> track --detections
  flights    a generated recorded-flights CSV ([[civil]] csv)  -> validate, some run
  asterix    a pcap and a raw file written by `bulwark run`    -> asterix decode, track --asterix

Operators: a number set to an extreme (0, -1, ±1e308, 1e-308, nan, inf, 2^32, 1e19, huge
integers), a unit removed, a line (key or row) dropped or duplicated, the text truncated,
bytes flipped; CSV cells mutated the same way, rows duplicated, columns dropped.

Checks on every invocation:
  - exit 101 (a panic) never; no abort or kill (a memory abort under --as=4G is signal 6/9);
  - no timeout (a hang);
  - exit 1 (internal error) never for a mutated input: bad input is exit 2;
  - exit 2 names a place: `FILE:LINE:COL: error:` (or `FILE: error:` for a whole-file reason
    such as a refused budget, counted apart);
  - no NaN or infinity in any output file written;
  - a run's CPU time stays within `validate`'s estimate.

Usage: scripts/hostile.py [--bulwark target/debug/bulwark] [--count N] [--seed S] [--quick]
       [--keep DIR]
--quick is the bounded mode for CI: 400 inputs from seed 1 (or --seed), about 40 runs,
20 s per invocation at most; about 25 s on 2 loaded cores.
Exit status 0 when every check held, 1 otherwise (each finding is printed with its input kept
under --keep, default a temporary folder).
"""
import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# A place in a text file is `FILE:LINE:COL: error:`; in a binary one (ASTERIX, pcap) the
# byte offset, `FILE: [pcap capture: ][packet K, ]at byte N:`.
LOCATED = re.compile(rb"^(error: )?[^\n:]+:\d+:\d+: error: ", re.M)
BYTE_LOCATED = re.compile(rb"^(error: )?[^\n:]+: (pcap capture: )?(packet \d+, )?at byte \d+: ", re.M)
# A whole-file reason (a refused budget, a missing table, no usable plot at all).
WHOLE_FILE = re.compile(rb"^([^\n:]+: error: |error: [^\n:]+: )", re.M)
NONFINITE = re.compile(rb"(?i)(?<![A-Za-z_])(nan|[-+]?inf(inity)?)(?![A-Za-z_])")
ESTIMATE = re.compile(r"estimated at most ([0-9.]+) (s|h) CPU")
EXTREMES = ["0", "-1", "1e308", "-1e308", "1e-308", "nan", "inf", "-inf", "4294967296", "1e19",
            "-1e19", "99999999999999999999999", "0.0000001", "1e280", "-0"]
NUMBER = re.compile(rb"(?<![A-Za-z_0-9.])-?\d+(\.\d+)?([eE][-+]?\d+)?")
QUOTED_QUANTITY = re.compile(rb'"(-?[0-9.eE+-]+) ?([A-Za-z/0-9 ]+)"')


def mutate_text(rng, data):
    """One random operator applied to bytes `data`."""
    op = rng.choice(["number", "number", "number", "unit", "drop", "dup", "truncate", "flip"])
    if op == "number":
        found = list(NUMBER.finditer(data))
        if found:
            m = rng.choice(found)
            return data[:m.start()] + rng.choice(EXTREMES).encode() + data[m.end():], op
    if op == "unit":
        found = list(QUOTED_QUANTITY.finditer(data))
        if found:
            m = rng.choice(found)
            repl = rng.choice([b'"' + m.group(1) + b'"', m.group(1), b'"' + m.group(2) + b'"'])
            return data[:m.start()] + repl + data[m.end():], op
    lines = data.split(b"\n")
    if op in ("drop", "dup") and len(lines) > 1:
        i = rng.randrange(len(lines))
        if op == "drop":
            del lines[i]
        else:
            lines.insert(i, lines[i])
        return b"\n".join(lines), op
    if op == "truncate" and data:
        return data[:rng.randrange(len(data))], op
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out), "flip"


def mutate(rng, data, rounds=None):
    ops = []
    for _ in range(rounds or rng.choice([1, 1, 1, 2, 3])):
        data, op = mutate_text(rng, data)
        ops.append(op)
    return data, "+".join(ops)


def mutate_csv(rng, data):
    """CSV operators: a cell to an extreme, a row duplicated, a column dropped, or any text one."""
    lines = data.split(b"\n")
    op = rng.choice(["cell", "cell", "duprow", "dropcol", "text"])
    if op == "cell" and len(lines) > 2:
        i = rng.randrange(1, len(lines) - 1)
        cells = lines[i].split(b",")
        j = rng.randrange(len(cells))
        cells[j] = rng.choice(EXTREMES + ["", "x", "1e", "--1"]).encode()
        lines[i] = b",".join(cells)
        return b"\n".join(lines), op
    if op == "duprow" and len(lines) > 2:
        i = rng.randrange(1, len(lines) - 1)
        lines.insert(i, lines[i])
        return b"\n".join(lines), op
    if op == "dropcol":
        j = rng.randrange(max(1, len(lines[0].split(b","))))
        out = []
        for line in lines:
            cells = line.split(b",")
            if j < len(cells):
                del cells[j]
            out.append(b",".join(cells))
        return b"\n".join(out), op
    return mutate(rng, data)


class Harness:
    def __init__(self, bulwark, keep, timeout_s, mem_bytes):
        self.bulwark = os.path.abspath(bulwark)
        self.keep = keep
        self.timeout_s = timeout_s
        self.mem = mem_bytes
        self.counts = {}
        self.findings = []

    def count(self, family, what):
        self.counts.setdefault(family, {}).setdefault(what, 0)
        self.counts[family][what] += 1

    def invoke(self, family, case_dir, args, outputs=()):
        """Runs bulwark `args` in `case_dir`; checks exit status, place, outputs. Returns
        (exit code, stdout, stderr, cpu seconds)."""
        cmd = ["prlimit", f"--as={self.mem}", "--", self.bulwark] + args
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            p = subprocess.run(cmd, cwd=case_dir, capture_output=True, timeout=self.timeout_s)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = "timeout", b"", b""
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.count(family, "invocations")
        self.count(family, f"exit {rc}")
        problem = None
        if rc == "timeout":
            problem = f"no answer within {self.timeout_s} s (a hang?)"
        elif rc == 101 or b"panicked" in err:
            problem = "panic (exit 101)"
        elif rc < 0 or rc in (134, 137) or b"memory allocation of" in err:
            problem = f"killed or aborted (status {rc}; memory?)"
        elif rc == 1:
            problem = "internal error (exit 1) for bad input"
        elif rc == 2:
            if LOCATED.search(err):
                self.count(family, "rejected with line:col")
            elif BYTE_LOCATED.search(err):
                self.count(family, "rejected with byte offset")
            elif WHOLE_FILE.search(err):
                self.count(family, "rejected, whole file")
            elif err.startswith(b"error: invalid value") or b"Usage:" in err:
                self.count(family, "rejected, flag")
            else:
                problem = "exit 2 without a place: " + err[:200].decode(errors="replace")
        elif rc == 0:
            self.count(family, "accepted")
        else:
            problem = f"unexpected exit status {rc}"
        if rc == 0:
            for path in outputs:
                full = os.path.join(case_dir, path)
                files = []
                if os.path.isdir(full):
                    files = [os.path.join(d, f) for d, _, fs in os.walk(full) for f in fs]
                elif os.path.isfile(full):
                    files = [full]
                for f in files:
                    if not f.endswith((".csv", ".json", ".jsonl", ".txt")):
                        continue
                    with open(f, "rb") as fh:
                        m = NONFINITE.search(fh.read())
                    if m:
                        problem = f"non-finite value {m.group(0)!r} in {os.path.relpath(f, case_dir)}"
                        break
        if problem:
            self.finding(family, case_dir, problem, args)
        return rc, out, err, cpu

    def validate_then_run(self, family, case_dir, scenario, run):
        rc, out, _, _ = self.invoke(family, case_dir, ["validate", scenario])
        if rc != 0 or not run:
            return
        m = ESTIMATE.search(out.decode(errors="replace"))
        estimate = float(m.group(1)) * (3600.0 if m and m.group(2) == "h" else 1.0) if m else None
        rc, _, _, cpu = self.invoke(family, case_dir, ["run", scenario, "--out", "out", "--quiet"], ["out"])
        self.count(family, "runs")
        if rc == 0 and estimate is not None and cpu > estimate:
            self.finding(family, case_dir, f"run took {cpu:.1f} s CPU, over its estimate of {estimate:.0f} s",
                         ["run", scenario])

    def finding(self, family, case_dir, problem, args):
        """Records a broken promise and keeps its input (not the outputs) under --keep."""
        kept = os.path.join(self.keep, f"{family}-{len(self.findings)}")
        shutil.copytree(case_dir, kept, dirs_exist_ok=True, ignore=shutil.ignore_patterns("out*"))
        self.findings.append(f"{family}: {problem}\n    bulwark {' '.join(args)}   (input kept in {kept})")
        self.count(family, "findings")

    def table(self):
        """One row per family: inputs, invocations, exit statuses, how rejections were placed."""
        cols = ["inputs", "invocations", "runs", "exit 0", "exit 2", "line:col", "byte", "whole file", "flag",
                "findings"]
        key = {"line:col": "rejected with line:col", "byte": "rejected with byte offset",
               "whole file": "rejected, whole file", "flag": "rejected, flag"}
        lines = ["| family | " + " | ".join(cols) + " | other exits |", "|---" * (len(cols) + 2) + "|"]
        for family, c in sorted(self.counts.items()):
            other = ", ".join(f"{k} {v}" for k, v in sorted(c.items())
                              if k.startswith("exit ") and k not in ("exit 0", "exit 2")) or "none"
            lines.append(f"| {family} | " + " | ".join(str(c.get(key.get(k, k), 0)) for k in cols) + f" | {other} |")
        return "\n".join(lines)


def base_scenario():
    with open(os.path.join(ROOT, "scenarios/reference.toml"), "rb") as f:
        text = f.read()
    return text.replace(b'duration = "20 min"', b'duration = "90 s"')


def detections_csv(rng):
    """Three targets in bearing-range from a radar at the origin, 12 scans 2 s apart."""
    import math
    rows = ["scan,t_s,bearing_rad,range_m"]
    for k in range(12):
        for j, (x0, y0, vx, vy) in enumerate([(20e3, 5e3, -200, 0), (15e3, -8e3, 0, 150), (30e3, 30e3, -100, -100)]):
            x, y = x0 + vx * 2 * k, y0 + vy * 2 * k
            rows.append(f"{k},{2.0 * k:.1f},{math.atan2(y, x) + rng.gauss(0, 0.002):.6f},"
                        f"{math.hypot(x, y) + rng.gauss(0, 30):.1f}")
    return ("\n".join(rows) + "\n").encode()


def flights_csv():
    rows = ["time,lat,lon,altitude_m,callsign,squawk"]
    for k in range(20):
        rows.append(f"{30 * k},{40.65 - 0.01 * k:.4f},{-42.5 + 0.06 * k:.4f},10668,NAT1,4521")
        rows.append(f"{30 * k},{39.0 + 0.01 * k:.4f},{-37.6 - 0.06 * k:.4f},11278,TAP2,2215")
    return ("\n".join(rows) + "\n").encode()


def flights_scenario():
    text = base_scenario()
    start = text.index(b'[[civil]]\ncallsign = "NAT123"')
    return text[:start] + b'[[civil]]\ncsv = "flights.csv"\ntype = "airliner-widebody"\n'


def accepted(h, work, tracker, det):
    """Whether `track --detections` takes the unmutated tracker file (fusion ones need a
    `sensor` column the generated CSV lacks)."""
    case = os.path.join(work, "base")
    shutil.rmtree(case, ignore_errors=True)
    os.makedirs(case)
    write(os.path.join(case, "d.csv"), det)
    p = subprocess.run([h.bulwark, "track", "--detections", "d.csv", "--config", tracker, "--out", "t.csv"],
                       cwd=case, capture_output=True)
    return p.returncode == 0


def baseline(h, work, tracker, asterix):
    """Every family's unmutated input must be accepted, or the harness itself is broken (a
    mutant rejected for the harness's mistake would pass as a clean rejection)."""
    case = os.path.join(work, "base")
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "catalog"), os.path.join(case, "cat"))
    write(os.path.join(case, "s.toml"), base_scenario())
    write(os.path.join(case, "c.toml"), base_scenario().replace(b"[scenario]\n", b'[scenario]\ncatalog = "cat"\n', 1))
    write(os.path.join(case, "f.toml"), flights_scenario())
    write(os.path.join(case, "flights.csv"), flights_csv())
    write(os.path.join(case, "d.csv"), detections_csv(random.Random(0)))
    for ext, data in asterix.items():
        write(os.path.join(case, f"in.{ext}"), data)
    commands = [["validate", "s.toml"], ["validate", "c.toml"], ["validate", "f.toml"],
                ["track", "--detections", "d.csv", "--config", tracker, "--out", "t.csv"]]
    commands += [["asterix", "decode", f"in.{ext}"] for ext in asterix]
    commands += [["track", "--asterix", f"in.{ext}", "--site", "40,-40,10", "--out", "o"] for ext in asterix]
    for args in commands:
        p = subprocess.run([h.bulwark] + args, cwd=case, capture_output=True)
        if p.returncode != 0:
            sys.exit(f"harness broken: unmutated `bulwark {' '.join(args)}` exits {p.returncode}: "
                     + p.stderr[:300].decode(errors="replace"))
    shutil.rmtree(case)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bulwark", default=os.path.join(ROOT, "target/debug/bulwark"))
    ap.add_argument("--count", type=int, default=3000, help="mutated inputs in all")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="bounded mode for CI: 400 inputs, about 1 in 10 run")
    ap.add_argument("--keep", default=None, help="folder for the inputs of findings")
    ap.add_argument("--run-every", type=int, default=25, help="run one validated scenario mutant in N")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per invocation")
    a = ap.parse_args()
    if a.quick:
        # Fixed seed and count: the same mutants every time; a hang is a finding after 20 s.
        a.count, a.run_every, a.timeout = 400, 3, min(a.timeout, 20.0)
    work = tempfile.mkdtemp(prefix="bulwark-hostile-")
    keep = a.keep or os.path.join(work, "findings")
    os.makedirs(keep, exist_ok=True)
    h = Harness(a.bulwark, keep, a.timeout, 4 * 1024 ** 3)
    rng = random.Random(a.seed)
    started = time.time()

    # ASTERIX sources: one short run writes both a raw file and a pcap.
    src = os.path.join(work, "src")
    os.makedirs(src)
    write(os.path.join(src, "s.toml"), base_scenario().replace(b'duration = "90 s"', b'duration = "40 s"'))
    subprocess.run([h.bulwark, "run", "s.toml", "--out", "out", "--quiet", "--asterix-out", "feed.ast",
                    "--asterix-pcap", "feed.pcap"], cwd=src, check=True, capture_output=True)
    asterix = {ext: open(os.path.join(src, f"feed.{ext}"), "rb").read() for ext in ("ast", "pcap")}
    trackers = sorted(os.path.join(ROOT, "examples/trackers", f) for f in os.listdir(os.path.join(ROOT, "examples/trackers")))
    trackers = [t for t in trackers if b'"bearing-range"' in open(t, "rb").read()]
    trackers = [t for t in trackers if accepted(h, work, t, detections_csv(random.Random(0)))]
    baseline(h, work, trackers[0], asterix)
    catalog_files = sorted(f for f in os.listdir(os.path.join(ROOT, "catalog")) if f.endswith(".toml"))
    families = ["scenario", "scenario", "catalog", "tracker", "detections", "detections", "flights", "asterix"]

    for i in range(a.count):
        family = families[i % len(families)]
        case = os.path.join(work, "case")
        shutil.rmtree(case, ignore_errors=True)
        os.makedirs(case)
        run = rng.randrange(a.run_every) == 0
        h.count(family, "inputs")
        if family == "scenario":
            data, _ = mutate(rng, base_scenario())
            write(os.path.join(case, "s.toml"), data)
            h.validate_then_run(family, case, "s.toml", run)
        elif family == "catalog":
            shutil.copytree(os.path.join(ROOT, "catalog"), os.path.join(case, "cat"))
            name = rng.choice(catalog_files)
            path = os.path.join(case, "cat", name)
            data, _ = mutate(rng, open(path, "rb").read())
            write(path, data)
            write(os.path.join(case, "s.toml"), base_scenario().replace(b"[scenario]\n", b'[scenario]\ncatalog = "cat"\n', 1))
            h.validate_then_run(family, case, "s.toml", run)
        elif family in ("tracker", "detections"):
            tracker = rng.choice(trackers)
            cfg = open(tracker, "rb").read()
            det = detections_csv(rng)
            if family == "tracker":
                cfg, _ = mutate(rng, cfg)
            else:
                det, _ = mutate_csv(rng, det)
            write(os.path.join(case, "t.toml"), cfg)
            write(os.path.join(case, "d.csv"), det)
            h.invoke(family, case, ["track", "--detections", "d.csv", "--config", "t.toml", "--out", "tracks.csv"],
                     ["tracks.csv"])
        elif family == "flights":
            data, _ = mutate_csv(rng, flights_csv())
            write(os.path.join(case, "flights.csv"), data)
            write(os.path.join(case, "s.toml"), flights_scenario())
            h.validate_then_run(family, case, "s.toml", run)
        else:
            ext = rng.choice(["ast", "pcap"])
            data, _ = mutate(rng, asterix[ext], rounds=rng.choice([1, 4, 16]))
            write(os.path.join(case, f"in.{ext}"), data)
            h.invoke(family, case, ["asterix", "decode", f"in.{ext}"])
            h.invoke(family, case, ["track", "--asterix", f"in.{ext}", "--site", "40,-40,10", "--out", "out"], ["out"])

    print(f"{a.count} mutated inputs in {time.time() - started:.0f} s (seed {a.seed}):")
    print(h.table())
    for f in h.findings:
        print("FINDING " + f)
    print(f"{len(h.findings)} findings")
    # The work folder goes unless it holds the kept inputs of findings.
    shutil.rmtree(os.path.join(work, "case"), ignore_errors=True)
    shutil.rmtree(os.path.join(work, "src"), ignore_errors=True)
    if not h.findings or a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if h.findings else 0


if __name__ == "__main__":
    sys.exit(main())
