//! `cargo +nightly fuzz run nit`: the nit parser on any bytes (oracle: arriendo_events::fuzzing::nit).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| arriendo_events::fuzzing::nit(data));
