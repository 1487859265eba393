//! Arbitrary and mutated bytes never panic, and the two walks of a record — skipping by
//! [`layout::skip_record`] and decoding by [`generic::decode_record`] — always agree on whether
//! it is valid and how long it is. The mutation loop is the stable-Rust stand-in for the
//! `asterix` cargo-fuzz target (same calls, bounded, deterministic).
mod layout_fixtures;

use bulwark_asterix::bytes::Reader;
use bulwark_asterix::{generic, layout};
use layout_fixtures::{ALL, block};
use proptest::prelude::*;

const CATS: [u8; 4] = [21, 34, 48, 62];

/// Runs every decoding entry point on `data`; panics only if the two walks disagree.
fn exercise(cat: u8, data: &[u8]) {
    let skipped = layout::skip_record(cat, &mut Reader::new(data));
    let decoded = generic::decode_record(cat, &mut Reader::new(data));
    match (&skipped, &decoded) {
        (Ok(bytes), Ok(v)) => assert_eq!(v["length"].as_u64(), Some(bytes.len() as u64)),
        (Err(a), Err(b)) => assert_eq!(a, b, "same error from both walks"),
        _ => panic!("CAT{cat:03} {data:02x?}: skip {skipped:?} vs decode {decoded:?}"),
    }
    for res in generic::decode_all(data) {
        let _ = res;
    }
    let framed = block(cat, &[data]);
    for res in generic::decode_all(&framed) {
        let _ = res;
    }
    if let Some(Ok(b)) = bulwark_asterix::blocks(&framed).next() {
        for res in layout::records(&b) {
            let _ = res;
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(cat in proptest::sample::select(CATS.to_vec()), data in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(cat, &data);
    }

    #[test]
    fn corrupted_fixtures_never_panic(which in 0..ALL.len(), pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let (cat, rec) = ALL[which];
        let mut data = rec.to_vec();
        let i = pos.index(data.len());
        data[i] = byte;
        data.truncate(cut.index(data.len() + 1).max(i + 1));
        exercise(cat, &data);
    }
}

/// xorshift64* (Vigna 2016): a tiny deterministic generator for the mutation loop.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn bounded_mutation_fuzzing() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut ok = 0usize;
    for round in 0..30_000 {
        let (cat, rec) = ALL[round % ALL.len()];
        let mut data = rec.to_vec();
        for _ in 0..1 + rng.below(4) {
            match rng.below(5) {
                0 => {
                    let i = rng.below(data.len());
                    if let Some(b) = data.get_mut(i) {
                        *b ^= 1 << rng.below(8);
                    }
                }
                1 => {
                    let i = rng.below(data.len());
                    if let Some(b) = data.get_mut(i) {
                        *b = rng.next() as u8;
                    }
                }
                2 => {
                    let i = rng.below(data.len() + 1);
                    data.insert(i, rng.next() as u8);
                }
                3 if !data.is_empty() => {
                    let i = rng.below(data.len());
                    data.remove(i);
                }
                _ => data.truncate(rng.below(data.len() + 1)),
            }
        }
        exercise(cat, &data);
        ok += usize::from(layout::skip_record(cat, &mut Reader::new(&data)).is_ok());
    }
    eprintln!("valid mutants: {ok}");
    // Many mutants stay valid records (a flipped value bit), many do not: both paths were hit.
    assert!(ok > 1_000 && ok < 29_000, "valid mutants: {ok}");
}
