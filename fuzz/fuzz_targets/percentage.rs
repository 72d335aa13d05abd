//! `cargo +nightly fuzz run percentage`: the percentage parser on any bytes (oracle: arriendo_events::fuzzing::percentage).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| arriendo_events::fuzzing::percentage(data));
