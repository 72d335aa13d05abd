//! `cargo +nightly fuzz run date`: the date parser on any bytes (oracle: arriendo_events::fuzzing::date).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| arriendo_events::fuzzing::date(data));
