//! End to end through the checker CI runs: a synthetic campaign's `runs.csv`, `points.csv` and
//! `paired.csv`, with every interval computed by this crate and laid out in the column
//! conventions of `tools/oracles/check_points.py`, must pass that script (SciPy/statsmodels,
//! 1e-9 relative), and the same files with one bound nudged by 1e-7 relative must fail it.
//!
//! Needs a Python with scipy, statsmodels and numpy: `BULWARK_STATS_PYTHON` (e.g.
//! `/work/venvs/stats/bin/python`), else `python3` if it has them; otherwise the test says so
//! and passes without checking.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use bulwark_stats::*;

const LEVEL: f64 = 0.9;

fn python() -> Option<String> {
    let candidates: Vec<String> = match std::env::var("BULWARK_STATS_PYTHON") {
        Ok(p) => vec![p],
        Err(_) => vec!["/work/venvs/stats/bin/python".into(), "python3".into()],
    };
    candidates.into_iter().find(|p| {
        Command::new(p).args(["-c", "import scipy, statsmodels, numpy"]).output().is_ok_and(|o| o.status.success())
    })
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/oracles/check_points.py")
}

/// A small deterministic stand-in for run outcomes (SplitMix64).
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Run {
    point: usize,
    rep: u32,
    ok: bool,
    /// count, killed, leaked, leakers, fired, civil_engaged, time_s
    m: [f64; 7],
}

const METRICS: [&str; 7] = [
    "cruise_missile.count",
    "cruise_missile.killed",
    "cruise_missile.leaked",
    "leakers",
    "fired",
    "civil_engaged",
    "t_first_s",
];

fn runs(reps: u32) -> Vec<Run> {
    let mut g = Gen(42);
    let mut out = Vec::new();
    for (point, count) in [2u64, 4, 8].into_iter().enumerate() {
        // Common random numbers: replication r draws the same "luck" at every point.
        for rep in 0..reps {
            let mut luck = Gen(1000 + u64::from(rep));
            let killed = count.saturating_sub(luck.below(3) * count / 4 + u64::from(point == 2 && rep % 3 == 0));
            let leaked = count - killed;
            let fired = 2 * count + luck.below(4) + g.below(2);
            let t = 30.0 + (luck.below(1000) as f64) / 7.0 + point as f64;
            let ok = !(point == 1 && rep == 3);
            out.push(Run {
                point,
                rep,
                ok,
                m: [count as f64, killed as f64, leaked as f64, leaked as f64, fired as f64, 0.0, t],
            });
        }
    }
    out
}

fn cell(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| format!("{v}"))
}

fn write_campaign(dir: &Path, reps: u32, bootstrap: u32) {
    let runs = runs(reps);
    let counts = [2, 4, 8];
    let mut r = String::from("point,replication,seed,status,error,threat.raid.count");
    for m in METRICS {
        write!(r, ",{m}").unwrap();
    }
    r.push('\n');
    for run in &runs {
        let status = if run.ok { "ok" } else { "error" };
        write!(r, "{},{},{},{status},,{}", run.point, run.rep, 7000 + run.rep, counts[run.point]).unwrap();
        for v in run.m {
            if run.ok {
                write!(r, ",{v}").unwrap();
            } else {
                r.push(',');
            }
        }
        r.push('\n');
    }
    std::fs::write(dir.join("runs.csv"), r).unwrap();

    let method = if bootstrap > 0 { "bootstrap_bca" } else { "student_t" };
    let events = ["any_leak", "civil_engagement", "cruise_missile.all_killed"];
    let mut p = String::from("point,threat.raid.count,runs,n,errors,level,mean_method");
    for m in METRICS {
        write!(p, ",{m}.n,{m}.mean,{m}.low,{m}.high").unwrap();
    }
    for e in events {
        write!(p, ",p.{e}.k,p.{e}.estimate,p.{e}.low,p.{e}.high,p.{e}.method").unwrap();
    }
    p.push('\n');
    for (point, count) in counts.iter().enumerate() {
        let mine: Vec<&Run> = runs.iter().filter(|r| r.point == point).collect();
        let ok: Vec<&Run> = mine.iter().copied().filter(|r| r.ok).collect();
        write!(p, "{point},{count},{},{},{},{LEVEL},{method}", mine.len(), ok.len(), mine.len() - ok.len()).unwrap();
        for (i, _) in METRICS.iter().enumerate() {
            let xs: Vec<f64> = ok.iter().map(|r| r.m[i]).collect();
            let iv = if bootstrap > 0 {
                bootstrap_mean(&xs, LEVEL, bootstrap, 99 + point as u64)
            } else {
                mean_t(&xs, LEVEL)
            };
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            let iv_mean = iv.map(|i| i.estimate).unwrap_or(mean);
            write!(p, ",{},{},{},{}", xs.len(), iv_mean, cell(iv.map(|i| i.low)), cell(iv.map(|i| i.high))).unwrap();
        }
        for e in events {
            let hit = |r: &Run| match e {
                "any_leak" => r.m[3] > 0.0,
                "civil_engagement" => r.m[5] > 0.0,
                _ => r.m[0] > 0.0 && r.m[1] >= r.m[0],
            };
            let k = ok.iter().filter(|r| hit(r)).count() as u64;
            let iv = proportion(k, ok.len() as u64, LEVEL).unwrap();
            write!(p, ",{k},{},{},{},{}", iv.estimate, iv.low, iv.high, iv.method).unwrap();
        }
        p.push('\n');
    }
    std::fs::write(dir.join("points.csv"), p).unwrap();

    let mut q = String::from("factor,value,baseline,others,metric,n,estimate,low,high,method,level\n");
    for (point, count) in counts.iter().enumerate().skip(1) {
        for (i, m) in METRICS.iter().enumerate() {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for rep in 0..reps {
                let find = |pt: usize| runs.iter().find(|r| r.point == pt && r.rep == rep && r.ok);
                if let (Some(x), Some(y)) = (find(point), find(0)) {
                    a.push(x.m[i]);
                    b.push(y.m[i]);
                }
            }
            let iv = paired_difference(&a, &b, LEVEL);
            let est = a.iter().zip(&b).map(|(x, y)| x - y).sum::<f64>() / a.len() as f64;
            writeln!(
                q,
                "threat.raid.count,{count},2,,{m},{},{},{},{},paired_t,{LEVEL}",
                a.len(),
                iv.map(|i| i.estimate).unwrap_or(est),
                cell(iv.map(|i| i.low)),
                cell(iv.map(|i| i.high))
            )
            .unwrap();
        }
    }
    std::fs::write(dir.join("paired.csv"), q).unwrap();
}

fn check(py: &str, dir: &Path) -> (i32, String) {
    let out = Command::new(py).arg(script()).arg(dir).args(["--bootstrap-resamples", "20000"]).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn campaign_intervals_pass_the_scipy_checker_and_a_nudge_fails_it() {
    let Some(py) = python() else {
        println!("no Python with scipy + statsmodels (set BULWARK_STATS_PYTHON): check_points.py not run");
        return;
    };
    for (name, reps, bootstrap) in [("check_points_t", 12, 0), ("check_points_boot", 40, 4000)] {
        let dir = scratch(name);
        write_campaign(&dir, reps, bootstrap);
        let (code, text) = check(&py, &dir);
        println!("{name}: {text}");
        assert_eq!(code, 0, "{name}: {text}");
    }
    // One Wilson bound moved by 1e-7 relative must be caught.
    let dir = scratch("check_points_t");
    let points = std::fs::read_to_string(dir.join("points.csv")).unwrap();
    let header: Vec<&str> = points.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|c| *c == "p.any_leak.high").unwrap();
    let mut lines: Vec<String> = points.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[2].split(',').map(String::from).collect();
    let v: f64 = cells[col].parse().unwrap();
    cells[col] = format!("{}", v * (1.0 + 1e-7));
    lines[2] = cells.join(",");
    std::fs::write(dir.join("points.csv"), lines.join("\n") + "\n").unwrap();
    let (code, text) = check(&py, &dir);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("P(any_leak).high"), "{text}");
    // A file without a column the checker needs is a format error (exit 2), not a pass.
    let without_level = lines.iter().map(|l| l.replacen(",level,", ",lvl,", 1)).collect::<Vec<_>>().join("\n");
    std::fs::write(dir.join("points.csv"), without_level + "\n").unwrap();
    let (code, text) = check(&py, &dir);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("lacks column(s) level"), "{text}");
}
