//! `cargo +nightly fuzz run restore_reader`: the JSON backup reader (what `restore`, `backup verify`
//! and the weekly drill read through) on any bytes (oracle: arriendo::backup::fuzzing::restore_reader).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| arriendo::backup::fuzzing::restore_reader(data));
