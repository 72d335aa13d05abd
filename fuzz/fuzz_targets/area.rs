//! `cargo +nightly fuzz run area`: the area parser on any bytes (oracle: arriendo_events::fuzzing::area).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| arriendo_events::fuzzing::area(data));
