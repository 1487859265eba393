//! Any bytes as ASTERIX: decoded as data blocks by the generic JSON decoder and by the typed
//! decoders, and as one record of each supported category by the layout walk, the generic
//! decoder and the typed decoder: the two walks must agree on its length, and the typed decoder,
//! where it succeeds, must end where they do.
//! Errors are fine; a panic, a hang or a disagreement is a bug.
#![no_main]
use bulwark_asterix::bytes::Reader;
use bulwark_asterix::record::{self, Record};
use bulwark_asterix::{blocks, generic, layout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for res in generic::decode_all(data) {
        let _ = res;
    }
    for block in blocks(data).flatten() {
        for res in layout::records(&block) {
            let _ = res;
        }
        let _ = record::decode_block(&block);
    }
    for cat in [21u8, 34, 48, 62] {
        let skipped = layout::skip_record(cat, &mut Reader::new(data)).map(<[u8]>::len);
        let decoded = generic::decode_record(cat, &mut Reader::new(data))
            .map(|v| v["length"].as_u64().unwrap_or(u64::MAX) as usize);
        assert_eq!(skipped, decoded, "CAT{cat:03}: layout and generic walks disagree");
        let mut r = Reader::new(data);
        if Record::decode(cat, &mut r).is_ok() {
            assert_eq!(skipped, Ok(r.pos()), "CAT{cat:03}: the typed decoder ends elsewhere");
        }
    }
});
