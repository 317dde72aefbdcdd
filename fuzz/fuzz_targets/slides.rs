//! One fuzz target over every entry point that reads what an author writes: the first byte of an
//! input picks a whole slide file (bytes → decode → front matter → Markdown → cross-references),
//! a slide body alone, a screen block, or front matter alone; its top bit picks English or
//! Japanese. The checks themselves are in `../harness.rs`, shared with `cargo test`.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fn fixture() -> &'static harness::Fixture {
    static FIXTURE: OnceLock<harness::Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| harness::Fixture::new(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")))
}

fuzz_target!(|data: &[u8]| harness::check(fixture(), data));
