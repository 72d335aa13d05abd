//! `cargo +nightly fuzz run money`: the money parser on any bytes (oracle: arriendo_events::fuzzing::money).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| arriendo_events::fuzzing::money(data));
