//! The catalog keys that replaced engine constants (issue 14 item 6) change behaviour as their
//! models say. Each test edits one value of the embedded catalog and runs the reference scenario
//! (or calls the stage that reads it); the shipped values are the former constants, so the
//! goldens hold them (tests/golden.rs).
use crate::sim::Simulation;
use bulwark_core::{EventKind, SimTime};
use bulwark_scenario::{Catalog, Scenario};

/// The embedded catalog with every `from` replaced by `to` in every file.
fn catalog_with(from: &str, to: &str) -> Catalog {
    let mut files = Catalog::embedded_texts();
    let mut hits = 0;
    for (_, t) in &mut files {
        hits += t.matches(from).count();
        *t = t.replace(from, to);
    }
    assert!(hits > 0, "{from:?} is in the catalog");
    Catalog::from_texts(&files).expect("edited catalog")
}

fn reference(catalog: &Catalog) -> Scenario {
    let path = format!("{}/../../scenarios/reference.toml", env!("CARGO_MANIFEST_DIR"));
    Scenario::load(&path, Some(catalog)).expect("reference scenario")
}

/// Runs the reference scenario with `catalog` to `until_s` (the whole run when `None`), giving
/// the events and the number of decision cycles of the first unit.
fn run(catalog: &Catalog, until_s: Option<f64>) -> (Vec<EventKind>, u32) {
    let scenario = reference(catalog);
    let mut sim = Simulation::with_options(&scenario, 1, crate::SimOptions::default()).expect("sets up");
    let mut cycles = 0;
    let mut next = SimTime::ZERO;
    while sim.advance() {
        if sim.units[0].next_decision != next {
            next = sim.units[0].next_decision;
            cycles += 1;
        }
        if until_s.is_some_and(|u| sim.now.as_secs_f64() >= u) {
            break;
        }
    }
    (sim.events_so_far().iter().map(|e| e.kind.clone()).collect(), cycles)
}

const S400_PERIOD: &str = "decision_period = { value = \"1 s\", source = \"asm-decision-cycle\"";

/// `decision_period`: a 2 s period halves the decision cycles of 60 s (analytic: 60/T cycles,
/// the first at t = 0).
#[test]
fn a_two_second_decision_period_halves_the_decision_cycles() {
    let (_, one) = run(&Catalog::embedded().expect("catalog"), Some(60.0));
    let (_, two) = run(&catalog_with(S400_PERIOD, &S400_PERIOD.replace("1 s", "2 s")), Some(60.0));
    assert!((60..=61).contains(&one), "1 s period: {one} cycles in 60 s");
    assert!((30..=31).contains(&two), "2 s period: {two} cycles in 60 s");
}

/// `fire_control_min_updates`: fire authority for a fire-control-guided round needs that many
/// updates in a row by the fire-control radar. At 1,000 (a 500 s streak at 2 Hz, longer than
/// any engagement of the run) no 9M96E2 or 48N6E3 leaves; at the shipped 3 they do.
#[test]
fn fire_control_rounds_wait_for_the_catalogs_update_count() {
    let fc_launches = |events: &[EventKind]| {
        events
            .iter()
            .filter(|k| {
                matches!(k, EventKind::InterceptorLaunched { interceptor_type, .. }
                    if interceptor_type == "9M96E2" || interceptor_type == "48N6E3")
            })
            .count()
    };
    let (shipped, _) = run(&Catalog::embedded().expect("catalog"), None);
    let key = "fire_control_min_updates = { value = 3";
    let (strict, _) = run(&catalog_with(key, "fire_control_min_updates = { value = 1000"), None);
    assert!(fc_launches(&shipped) > 0, "the reference run fires fire-control rounds");
    assert_eq!(fc_launches(&strict), 0, "no fire-control hold after 1,000 updates");
}

/// `seeker_field_of_view` is the cone the seeker searches at hand-over: at 1 µrad no seeker
/// finds its target about the estimate's line of sight (the estimate is never that good), so no
/// seeker acquires; the shipped cones do.
#[test]
fn a_narrow_seeker_cone_acquires_nothing() {
    let acquired =
        |events: &[EventKind]| events.iter().filter(|k| matches!(k, EventKind::SeekerAcquired { .. })).count();
    let (shipped, _) = run(&Catalog::embedded().expect("catalog"), None);
    let mut files = Catalog::embedded_texts();
    for (_, t) in &mut files {
        *t = t
            .replace("seeker_field_of_view = { value = \"70 mrad\"", "seeker_field_of_view = { value = \"0.001 mrad\"");
        *t = t
            .replace("seeker_field_of_view = { value = \"3.5 deg\"", "seeker_field_of_view = { value = \"0.001 mrad\"");
    }
    let narrow = Catalog::from_texts(&files).expect("catalog");
    let (narrow, _) = run(&narrow, None);
    assert!(acquired(&shipped) > 0, "shipped cones acquire");
    assert_eq!(acquired(&narrow), 0, "a 1 µrad cone acquires nothing");
}

/// `track_gate`: a track dwell's coverage is the predicted range ± the gate (within the radar's
/// own limits), the rest of its coverage unchanged.
#[test]
fn a_track_dwell_listens_inside_the_catalogs_range_gate() {
    let catalog = Catalog::embedded().expect("catalog");
    let scenario = reference(&catalog);
    let sim = Simulation::new(&scenario, 1).expect("sets up");
    let r = sim.units[0].setup.radars.iter().find(|r| r.scheduler.budget().is_some()).expect("a fire-control radar");
    assert_eq!(r.track_gate_m, 5_000.0, "the catalog's gate");
    let boresight =
        bulwark_geo::Rae { range_m: 100_000.0, azimuth_rad: r.radar.params().azimuth_centre_rad, elevation_rad: 0.05 };
    for gate in [5_000.0, 1_000.0] {
        let d = crate::stage::sense::dwell_radar(&r.radar, &boresight, gate).expect("a dwell");
        assert_eq!((d.params().min_range_m, d.params().instrumented_range_m), (100_000.0 - gate, 100_000.0 + gate));
    }
}

/// `pass_range`: a round opening from its estimate inside it has missed (ends at once, a miss).
/// At 1 mm no round is ever declared passed, so a round that passed its target flies on until
/// its flight time runs out: more rounds self-destruct than at the shipped 2 km.
#[test]
fn the_pass_range_decides_when_an_opening_round_has_missed() {
    let misses = |events: &[EventKind]| {
        use bulwark_core::InterceptOutcome::SelfDestruct;
        events.iter().filter(|k| matches!(k, EventKind::InterceptorEnded { outcome: SelfDestruct, .. })).count()
    };
    let (shipped, _) = run(&Catalog::embedded().expect("catalog"), None);
    let (tiny, _) = run(&catalog_with("pass_range = { value = \"2 km\"", "pass_range = { value = \"0.001 m\""), None);
    assert!(misses(&tiny) > misses(&shipped), "self-destructs: 1 mm {}, shipped {}", misses(&tiny), misses(&shipped));
}

/// `stale_track`: a track no sensor updated for longer counts misses on every search scan. At
/// 1 s every track between updates is expected by every radar, so tracks are deleted sooner:
/// more deletions by 120 s than at the shipped 30 s.
#[test]
fn a_short_stale_time_deletes_tracks_sooner() {
    let deleted = |events: &[EventKind]| events.iter().filter(|k| matches!(k, EventKind::TrackDeleted { .. })).count();
    let (shipped, _) = run(&Catalog::embedded().expect("catalog"), Some(120.0));
    let (short, _) =
        run(&catalog_with("stale_track = { value = \"30 s\"", "stale_track = { value = \"1 s\""), Some(120.0));
    assert!(deleted(&short) > deleted(&shipped), "1 s: {} deletions, 30 s: {}", deleted(&short), deleted(&shipped));
}

/// `track_process_noise` (item b: a unit's own q, from its tracker file's `filter.q` or else the
/// catalog): the engine's seeker-basket check ([`crate::stage::decide::fire_authority`])
/// predicts with the unit's q, not a shared constant. Oracle: the
/// closed form √(tr P_pp(t)) of `bulwark_c2::authority::predicted_error_m`, by hand: a track
/// with 100 m and 10 m/s σ per axis predicted 20 s ahead has error
/// √(3·(100² + 20²·10² + q·20³/3)): 1,830.3 m at q = 400, 5,670.1 m at q = 4,000.
#[test]
fn a_unit_with_a_larger_process_noise_predicts_a_larger_error() {
    let catalog = Catalog::embedded().expect("catalog");
    let shipped = reference(&catalog);
    let noisy =
        reference(&catalog_with("track_process_noise = { value = 400.0", "track_process_noise = { value = 4000.0"));
    let a = Simulation::new(&shipped, 1).expect("sets up");
    let b = Simulation::new(&noisy, 1).expect("sets up");
    assert_eq!((a.units[0].setup.q, b.units[0].setup.q), (400.0, 4_000.0));
    let mut cov = [[0.0; 6]; 6];
    for k in 0..3 {
        cov[k][k] = 1e4;
        cov[k + 3][k + 3] = 1e2;
    }
    let err = |q: f64| bulwark_c2::authority::predicted_error_m(&cov, 20.0, q);
    let by_hand = |q: f64| (3.0 * (1e4 + 400.0 * 1e2 + q * 8_000.0 / 3.0)).sqrt();
    for q in [a.units[0].setup.q, b.units[0].setup.q] {
        assert!((err(q) - by_hand(q)).abs() < 1e-9, "{q}");
    }
    assert!((by_hand(400.0) - 1_830.3).abs() < 0.1 && (by_hand(4_000.0) - 5_670.1).abs() < 0.1);
    // A basket of 4 km (2 × RMS must fit: 3,660.6 m does, 11,340.2 m does not) takes the
    // q = 400 unit's shot only; no fire-control radar holds the made-up track id.
    let need = bulwark_c2::TrackNeed::SeekerBasket { radius_m: 4_000.0 };
    let view = bulwark_c2::TrackView {
        id: bulwark_core::TrackId(999_999),
        position: bulwark_core::Vec3::new(-60_000.0, 0.0, 5_000.0),
        velocity: bulwark_core::Vec3::new(250.0, 0.0, 0.0),
        altitude_m: 5_000.0,
        climb_rate_mps: 0.0,
        confirmed: true,
        coasting: false,
        identity: Default::default(),
        hostile_since: None,
    };
    let pip = bulwark_core::Vec3::new(-55_000.0, 0.0, 5_000.0);
    let authority = |s: &Simulation<'_>| {
        crate::stage::decide::fire_authority(&s.units[0], &s.frame, s.now, &view, &cov, need, &pip, 20.0)
    };
    match authority(&a) {
        Some(bulwark_c2::Authority::Basket { error_m, .. }) => assert!((error_m - 2.0 * by_hand(400.0)).abs() < 1e-6),
        other => panic!("q = 400: {other:?}"),
    }
    assert_eq!(authority(&b), None, "q = 4,000: the predicted error overflows the basket");
}
