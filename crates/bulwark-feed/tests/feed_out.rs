//! The ASTERIX feed of a short reference run: our decoder reads back what we wrote, and
//! Wireshark's dissector (tshark, the independent oracle) decodes every datagram with no
//! malformed packet and no expert warning.
use bulwark_asterix::{Record, blocks, record::decode_block};
use bulwark_core::EventKind;
use bulwark_engine::{RunResult, Simulation, reference_scenario};
use bulwark_feed::{FeedOptions, Sink, emit, feed};
use std::process::Command;

fn short_run() -> RunResult {
    let mut s = reference_scenario().unwrap();
    s.duration = bulwark_core::SimDuration::from_secs(240);
    let mut sim = Simulation::new(&s, 7).unwrap();
    sim.run();
    sim.finish()
}

#[test]
fn feed_decodes_back_to_the_run() {
    let run = short_run();
    let (datagrams, stats) = feed(&run, &FeedOptions::default()).unwrap();
    assert!(stats.cat048_records > 100 && stats.cat062_records > 10 && stats.cat034_records > 10, "{stats:?}");
    let mut n = [0usize; 3];
    let mut last_t = i64::MIN;
    for d in &datagrams {
        assert!(d.bytes.len() <= bulwark_feed::MAX_DATAGRAM);
        assert!(d.sim_ns >= last_t, "datagrams in time order");
        last_t = d.sim_ns;
        for b in blocks(&d.bytes) {
            for r in decode_block(&b.unwrap()).unwrap() {
                match r {
                    Record::Cat034(_) => n[0] += 1,
                    Record::Cat048(p) => {
                        n[1] += 1;
                        assert!(p.descriptor.is_some_and(|d| d.simulated && d.typ == 1));
                    }
                    Record::Cat062(t) => {
                        n[2] += 1;
                        assert!(t.position_wgs84.is_some() && t.track_status.is_some_and(|s| s.simulated));
                    }
                    Record::Cat021(_) => panic!("no CAT021 in a run feed"),
                }
            }
        }
    }
    assert_eq!(n, [stats.cat034_records, stats.cat048_records, stats.cat062_records]);
    // Every detection of the run is a plot, except those beyond 256 NM.
    let detections = run.events.iter().filter(|e| matches!(e.kind, EventKind::Detection { .. })).count();
    assert_eq!(detections, stats.cat048_records + stats.plots_beyond_rho);
    // Deterministic: the same run gives the same bytes.
    let (again, _) = feed(&short_run(), &FeedOptions::default()).unwrap();
    assert_eq!(datagrams, again);
}

#[test]
fn tshark_decodes_the_feed_cleanly() {
    let have_tshark = Command::new("tshark").arg("-v").output().is_ok_and(|o| o.status.success());
    if !have_tshark {
        assert!(std::env::var_os("CI").is_none(), "CI must have tshark (apt-get install tshark)");
        eprintln!("skipped: tshark not installed");
        return;
    }
    let run = short_run();
    let (datagrams, stats) = feed(&run, &FeedOptions::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("bulwark-feed-tshark-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pcap = dir.join("feed.pcap");
    emit(&datagrams, vec![Sink::pcap(&pcap).unwrap()], false).unwrap();
    // One line per ASTERIX record: category (tshark's field) — plus any malformed/expert mark.
    let out = Command::new("tshark")
        .args([
            "-r",
            pcap.to_str().unwrap(),
            "-T",
            "fields",
            "-E",
            "occurrence=a",
            "-e",
            "asterix.category",
            "-e",
            "_ws.malformed",
            "-e",
            "_ws.expert",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut counts = [0usize; 3];
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.iter().skip(1).all(|c| c.is_empty()), "malformed or expert warning: {line}");
        for cat in cols[0].split(',') {
            match cat {
                "34" => counts[0] += 1,
                "48" => counts[1] += 1,
                "62" => counts[2] += 1,
                other => panic!("unexpected category {other}"),
            }
        }
    }
    assert_eq!(text.lines().count(), datagrams.len(), "one frame per datagram");
    // tshark lists the category once per data block; blocks ≤ records.
    assert!(counts[1] >= 1 && counts[1] <= stats.cat048_records && counts[2] >= 1, "{counts:?} vs {stats:?}");
    // Values: the first CAT048 plot's RHO (NM) and THETA (deg) as tshark reads them equal ours.
    let out = Command::new("tshark")
        .args([
            "-r",
            pcap.to_str().unwrap(),
            "-T",
            "fields",
            "-E",
            "occurrence=f",
            "-e",
            "asterix.048_040_RHO",
            "-e",
            "asterix.048_040_THETA",
            "-Y",
            "asterix.048_040_RHO",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().expect("a CAT048 plot");
    let v: Vec<f64> = first.split('\t').map(|x| x.parse().unwrap()).collect();
    let ours = datagrams
        .iter()
        .flat_map(|d| blocks(&d.bytes).map(|b| decode_block(&b.unwrap()).unwrap()).collect::<Vec<_>>())
        .flatten()
        .find_map(|r| match r {
            Record::Cat048(p) => p.measured_polar,
            _ => None,
        })
        .unwrap();
    assert!((v[0] * 1852.0 - ours.range).abs() < 1e-6 * ours.range.max(1.0), "{first} vs {ours:?}");
    assert!((v[1].to_radians() - ours.azimuth).abs() < 1e-9, "{first} vs {ours:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The feed sent while a streaming run runs ([`bulwark_feed::LiveFeed`] as the run's tap) is
/// the feed built from the whole run held in memory, to the byte, pcap and raw alike.
#[test]
fn the_feed_sent_as_the_run_goes_is_the_feed_of_the_whole_run() {
    let run = short_run();
    let (datagrams, stats) = feed(&run, &FeedOptions::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("bulwark-live-feed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (raw, cap) = (dir.join("batch.ast"), dir.join("batch.pcap"));
    emit(&datagrams, vec![Sink::file(&raw).unwrap(), Sink::pcap(&cap).unwrap()], false).unwrap();

    let mut s = reference_scenario().unwrap();
    s.duration = bulwark_core::SimDuration::from_secs(240);
    let (live_raw, live_cap) = (dir.join("live.ast"), dir.join("live.pcap"));
    let sinks = vec![Sink::file(&live_raw).unwrap(), Sink::pcap(&live_cap).unwrap()];
    let mut live = bulwark_feed::LiveFeed::new(&FeedOptions::default(), sinks, false);
    let rows = dir.join("rows");
    std::fs::create_dir_all(&rows).unwrap();
    let mut sim = Simulation::new(&s, 7).unwrap();
    sim.stream_to(&rows).unwrap();
    sim.tap(&mut live).unwrap();
    sim.run();
    let streamed = sim.finish();
    assert!(streamed.tracks.is_empty(), "a streaming run keeps no samples");
    let live_stats = live.finish().unwrap();
    assert_eq!(live_stats, stats);
    assert_eq!(std::fs::read(&live_raw).unwrap(), std::fs::read(&raw).unwrap());
    assert_eq!(std::fs::read(&live_cap).unwrap(), std::fs::read(&cap).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A tap given a plot after the feed packed its time would drop it or send it out of order:
/// [`bulwark_feed::FeedBuilder::take`] refuses it at `finish`, naming both times.
#[test]
fn a_plot_given_after_its_time_was_packed_is_an_error() {
    let run = short_run();
    let mut f = bulwark_feed::FeedBuilder::new(&run.sensors, run.origin, run.epoch, &FeedOptions::default()).unwrap();
    let end = run.events.last().unwrap().t_ns;
    f.take(&run.events, &[], bulwark_core::SimTime::from_nanos(end));
    // In time order, all of it once: accepted (the batch feed does exactly this).
    let first_plot = run.events.iter().position(|e| matches!(e.kind, EventKind::Detection { .. })).unwrap();
    f.take(&run.events[first_plot..=first_plot], &[], bulwark_core::SimTime::from_nanos(end));
    let err = f.finish(end).unwrap_err().to_string();
    assert!(err.contains("a plot at t = ") && err.contains("after the feed had packed"), "{err}");

    let mut ok = bulwark_feed::FeedBuilder::new(&run.sensors, run.origin, run.epoch, &FeedOptions::default()).unwrap();
    ok.take(&run.events, &[], bulwark_core::SimTime::from_nanos(end));
    ok.finish(end).unwrap();
}
