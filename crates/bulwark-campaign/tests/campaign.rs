//! Campaigns as the issue checks them: the same bytes whatever the threads or shards, a
//! stopped-and-resumed campaign equal to an uninterrupted one, Parquet holding the CSV's rows,
//! and bad factor paths, values and design points refused at file:line:col before any run.
use bulwark_campaign::{Campaign, Options, Shard, merge, run};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bulwark-campaign-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn try_go(c: &Campaign, dir: &Path, resume: bool) -> Result<bulwark_campaign::Done, bulwark_campaign::CampaignError> {
    let stop = AtomicBool::new(false);
    let progress = |_: usize, _: usize| {};
    let opts = Options {
        jobs: 1,
        shard: Shard::WHOLE,
        resume,
        keep_runs: false,
        stop: &stop,
        stop_after: None,
        progress: &progress,
    };
    run(c, dir, &opts)
}

fn go(
    c: &Campaign,
    dir: &Path,
    jobs: usize,
    shard: Shard,
    resume: bool,
    stop_after: Option<usize>,
) -> bulwark_campaign::Done {
    let stop = AtomicBool::new(false);
    let progress = |_: usize, _: usize| {};
    let opts = Options { jobs, shard, resume, keep_runs: false, stop: &stop, stop_after, progress: &progress };
    run(c, dir, &opts).expect("campaign runs")
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

const OUTPUTS: [&str; 4] = ["runs.csv", "points.csv", "paired.csv", "report.md"];

#[test]
fn bytes_do_not_depend_on_threads_shards_or_interruption() {
    let c = Campaign::load(data("counts.toml")).expect("campaign loads");
    assert_eq!(c.total_runs(), 4);
    let one = tmp("j1");
    let done = go(&c, &one, 1, Shard::WHOLE, false, None);
    assert!(done.complete && done.ran == 4 && done.errors == 0, "{done:?}");
    let runs = read(&one, "runs.csv");
    let header = runs.lines().next().unwrap();
    assert!(header.starts_with("point,replication,seed,status,error,threat.CM raid west.count,leakers,"), "{header}");
    assert_eq!(runs.lines().count(), 5, "{runs}");
    // Common random numbers: the seed is campaign seed + replication at every point.
    let seeds: Vec<&str> = runs.lines().skip(1).map(|l| l.split(',').nth(2).unwrap()).collect();
    assert_eq!(seeds, ["5", "6", "5", "6"]);

    let two = tmp("j2");
    go(&c, &two, 2, Shard::WHOLE, false, None);
    for f in OUTPUTS {
        assert_eq!(read(&one, f), read(&two, f), "{f} differs between --jobs 1 and 2");
    }

    for count in [2, 3] {
        let dirs: Vec<PathBuf> = (0..count).map(|k| tmp(&format!("s{k}of{count}"))).collect();
        for (k, d) in dirs.iter().enumerate() {
            let done = go(&c, d, 1, Shard { index: k, count }, false, None);
            assert!(done.complete && !d.join("runs.csv").exists(), "a shard writes rows only");
        }
        let merged = tmp(&format!("merged{count}"));
        assert_eq!(merge(&dirs, &merged).expect("merge"), 4);
        for f in OUTPUTS {
            assert_eq!(read(&one, f), read(&merged, f), "{f} differs between one process and {count} shards");
        }
        // A merge that misses a shard says so.
        let err = merge(&dirs[..1], &tmp("partial")).unwrap_err().to_string();
        assert!(err.contains("missing"), "{err}");
    }

    // Stopped after one run (the Ctrl-C path), a torn last line, then resumed.
    let resumed = tmp("resumed");
    let done = go(&c, &resumed, 1, Shard::WHOLE, false, Some(1));
    assert!(!done.complete && done.done == 1 && !resumed.join("runs.csv").exists(), "{done:?}");
    let rows = resumed.join("rows-0-of-1.jsonl");
    let mut text = std::fs::read_to_string(&rows).unwrap();
    text.push_str("{\"point\":1,\"replic");
    std::fs::write(&rows, text).unwrap();
    let err = try_go(&c, &resumed, false).unwrap_err().to_string();
    assert!(err.contains("--resume"), "without --resume an existing campaign is not overwritten: {err}");
    let done = go(&c, &resumed, 2, Shard::WHOLE, true, None);
    assert!(done.complete && done.ran == 3, "{done:?}");
    for f in OUTPUTS {
        assert_eq!(read(&one, f), read(&resumed, f), "{f} differs after a stop and --resume");
    }

    // A changed input refuses to resume.
    let mut changed = c.clone();
    changed.replications = 3;
    let err = try_go(&changed, &resumed, true).unwrap_err().to_string();
    assert!(err.contains("replications differs"), "{err}");

    parquet_holds_the_csv_rows(&one);
    for d in [one, two, resumed] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Reads `runs.parquet` back with the parquet crate: the same rows and cells as `runs.csv`.
fn parquet_holds_the_csv_rows(dir: &Path) {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let csv = read(dir, "runs.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let reader = SerializedFileReader::new(std::fs::File::open(dir.join("runs.parquet")).unwrap()).unwrap();
    let rows: Vec<parquet::record::Row> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
    let csv_rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), csv_rows.len());
    for (row, cells) in rows.iter().zip(&csv_rows) {
        let cols: Vec<(&String, &Field)> = row.get_column_iter().collect();
        assert_eq!(cols.len(), header.len());
        for ((name, field), (h, cell)) in cols.iter().zip(header.iter().zip(cells)) {
            assert_eq!(name.as_str(), *h);
            let shown = match field {
                Field::Null => String::new(),
                Field::Long(x) => x.to_string(),
                Field::ULong(x) => x.to_string(),
                Field::Double(x) => bulwark_campaign::parquet_out::Col::Real(vec![Some(*x)]).text(0),
                Field::Str(s) => s.clone(),
                Field::Bool(b) => b.to_string(),
                other => panic!("unexpected field {other:?} in {name}"),
            };
            assert_eq!(shown, *cell, "column {name}");
        }
    }
}

fn load_err(campaign: &str) -> String {
    let file = data("inline.toml");
    Campaign::from_str(campaign, &file).expect_err("the campaign is refused").to_string()
}

#[test]
fn bad_paths_values_and_points_are_refused_at_their_place() {
    let head = "[campaign]\nname = \"t\"\nscenario = \"small.toml\"\nreplications = 1\n";
    let e = load_err(&format!("{head}[[factor]]\npath = \"threat.CM raid wset.count\"\nvalues = [1]\n"));
    assert!(e.contains("inline.toml:6:8: error:"), "{e}");
    assert!(e.contains("did you mean `CM raid west`") && e.contains("elements there"), "{e}");
    let e = load_err(&format!("{head}[[factor]]\npath = \"threat.CM raid west.cuont\"\nvalues = [1]\n"));
    assert!(e.contains("keys there: count, lateral_spacing, name, route, spacing, start, type"), "{e}");
    let e = load_err(&format!("{head}[[factor]]\npath = \"threat.CM raid west.count\"\nvalues = [1, \"two\"]\n"));
    assert!(e.contains("inline.toml:7:14: error: threat.CM raid west.count: expected a whole number"), "{e}");
    let e = load_err(&format!("{head}[[factor]]\npath = \"threat.CM raid west.count\"\nvalues = [1, 0]\n"));
    assert!(e.contains("inline.toml:7:14: error:") && e.contains("makes the scenario invalid"), "{e}");
    let e = load_err(&format!(
        "{head}[[factor]]\npath = \"threat.CM raid west.route.0.speed\"\nvalues = [\"Mach 0.7\", \"9 furlongs\"]\n"
    ));
    assert!(e.contains("inline.toml:7:23:") && e.contains("makes the scenario invalid"), "{e}");
    let e = load_err(&format!(
        "{head}[[factor]]\npath = \"defence.1st battalion.system\"\nvalues = [\"s400\", \"thaad\"]\n"
    ));
    assert!(e.contains("unknown system `thaad`"), "{e}");
    let e = load_err(&format!("{head}[[factor]]\npath = \"catalog.9M96E3.max_range\"\nvalues = [\"40 km\"]\n"));
    assert!(e.contains("the catalog has no entry `9M96E3`; did you mean `9M96E2`?"), "{e}");
    let e = load_err(&format!("{head}desing = \"lhs\"\n"));
    assert!(e.contains("inline.toml:5:1:") && e.contains("did you mean `design`"), "{e}");
    let e = load_err(&format!(
        "{head}design = \"lhs\"\nsamples = 4\n[[factor]]\npath = \"scenario.duration\"\nmin = \"100 s\"\nmax = \"2 min\"\n"
    ));
    assert!(e.contains("same unit"), "{e}");
}

#[test]
fn designs_make_the_points_they_say() {
    let dir = data("x.toml");
    let head = "[campaign]\nname = \"t\"\nscenario = \"small.toml\"\nreplications = 1\n";
    let c = Campaign::from_str(
        &format!(
            "{head}design = \"lhs\"\nsamples = 5\nseed = 3\n[[factor]]\npath = \"threat.CM raid west.count\"\nmin = 1\nmax = 4\n\
             [[factor]]\npath = \"catalog.cruise-missile-subsonic.rcs.X.nose\"\nmin = \"0.05 m2\"\nmax = \"0.2 m2\"\n"
        ),
        &dir,
    )
    .expect("lhs loads");
    assert_eq!(c.points.len(), 5);
    for p in &c.points {
        let n = p.values[0].as_integer().unwrap();
        assert!((1..=4).contains(&n));
        assert_eq!(p.scenario.threats[0].count as i64, n, "the count reaches the scenario");
        assert!(p.values[1].as_str().unwrap().ends_with(" m2"));
    }
    let list = Campaign::load(data("list.toml")).expect("list loads");
    assert_eq!(list.points.len(), 2);
    assert_eq!(list.points[1].values[0].as_integer(), Some(2), "2.0 from a sampler is the whole number 2");
    assert_eq!(list.points[0].scenario.threats[0].count, 1);
    let bad = std::env::temp_dir().join(format!("bulwark-campaign-{}-bad.csv", std::process::id()));
    std::fs::write(&bad, "threat.CM raid west.count\n1\nmany\n").unwrap();
    let e =
        Campaign::from_str(&format!("{head}design = \"list\"\ndesign_file = \"{}\"\n", bad.display()), &data("x.toml"))
            .unwrap_err()
            .to_string();
    assert!(e.contains("bad.csv:3:1: error: threat.CM raid west.count: expected a whole number"), "{e}");
    let _ = std::fs::remove_file(bad);
}

/// Issue 19: `--keep-runs` directories are made as `bulwark run --out` makes its own: whole or
/// not at all. What a killed attempt left (a staging directory) is cleared when the run is
/// written again, and every kept run holds the six outputs.
#[test]
fn kept_runs_land_whole_and_clear_what_a_killed_attempt_left() {
    let c = Campaign::load(data("counts.toml")).expect("campaign loads");
    let dir = tmp("keep");
    let runs = dir.join("runs");
    std::fs::create_dir_all(runs.join(".p0-r0.partial-4000000")).unwrap();
    std::fs::write(runs.join(".p0-r0.partial-4000000/events.jsonl"), "truncated").unwrap();
    let stop = AtomicBool::new(false);
    let progress = |_: usize, _: usize| {};
    let opts = Options {
        jobs: 2,
        shard: Shard::WHOLE,
        resume: false,
        keep_runs: true,
        stop: &stop,
        stop_after: None,
        progress: &progress,
    };
    run(&c, &dir, &opts).expect("campaign runs");
    let mut names: Vec<String> =
        std::fs::read_dir(&runs).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let visible: Vec<&String> = names.iter().filter(|n| !n.starts_with('.')).collect();
    assert_eq!(visible, ["p0-r0", "p0-r1", "p1-r0", "p1-r1"], "{names:?}");
    assert!(names.iter().all(|n| !n.contains(".partial-")), "staging left behind: {names:?}");
    for v in visible {
        for f in ["events.jsonl", "truth.csv", "tracks.csv", "summary.json", "timeline.csv", "threats.csv"] {
            assert!(runs.join(v).join(f).is_file(), "{v}/{f}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
