//! What the value parsers promise for any input, as assertions: the oracles of the cargo-fuzz
//! targets in `fuzz/` and of the bounded proptest run below (which is what runs in CI and in
//! `cargo test`). Built only for tests and with the `fuzzing` feature.
//!
//! For every byte string: no panic; a refusal's message stays short (what was typed is quoted at
//! most 40 characters); an accepted value is within its bounds and reads back from what the
//! application shows and stores.

use crate::bounds::{MAX_PESOS, date_in_range};
use crate::{Area, DomainError, Money, Nit, Percentage, format_date, parse_date};

/// The longest refusal a parser may produce, in characters.
const MAX_MESSAGE_CHARS: usize = 200;

fn text_of(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

fn short(err: &DomainError) {
    let message = err.to_string();
    assert!(
        message.chars().count() <= MAX_MESSAGE_CHARS,
        "a refusal of {} characters",
        message.chars().count()
    );
    assert!(
        !message.contains('\0'),
        "a refusal quoting a NUL: {message:?}"
    );
}

pub fn money(data: &[u8]) {
    let Some(text) = text_of(data) else { return };
    match Money::parse(text) {
        Ok(m) => {
            assert!((0..=MAX_PESOS).contains(&m.pesos()), "{text:?} → {m:?}");
            assert_eq!(Money::parse(&m.to_string()), Ok(m), "{text:?}");
            assert_eq!(Money::parse(&m.digits_es()), Ok(m), "{text:?}");
            let json = serde_json::to_string(&m).expect("money serialises");
            assert_eq!(serde_json::from_str::<Money>(&json).ok(), Some(m));
        }
        Err(e) => short(&e),
    }
}

pub fn date(data: &[u8]) {
    let Some(text) = text_of(data) else { return };
    match parse_date(text) {
        Ok(d) => {
            assert!(date_in_range(d), "{text:?} → {d}");
            assert_eq!(parse_date(&format_date(d)), Ok(d), "{text:?}");
            assert_eq!(parse_date(&d.to_string()), Ok(d), "{text:?}");
        }
        Err(e) => short(&e),
    }
}

pub fn nit(data: &[u8]) {
    let Some(text) = text_of(data) else { return };
    match Nit::parse(text) {
        Ok(n) => {
            assert!((5..=15).contains(&n.number().len()), "{text:?} → {n:?}");
            assert!(n.number().bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(Nit::parse(&n.canonical()).as_ref(), Ok(&n), "{text:?}");
            assert_eq!(Nit::parse(&n.to_string()).as_ref(), Ok(&n), "{text:?}");
        }
        Err(e) => short(&e),
    }
}

pub fn percentage(data: &[u8]) {
    let Some(text) = text_of(data) else { return };
    match Percentage::parse(text) {
        Ok(p) => {
            assert!(
                p >= Percentage::ZERO && p <= Percentage::HUNDRED,
                "{text:?}"
            );
            assert_eq!(Percentage::parse(&p.to_string()), Ok(p), "{text:?}");
            let json = serde_json::to_string(&p).expect("percentages serialise");
            assert_eq!(serde_json::from_str::<Percentage>(&json).ok(), Some(p));
        }
        Err(e) => short(&e),
    }
}

pub fn area(data: &[u8]) {
    let Some(text) = text_of(data) else { return };
    match Area::parse(text) {
        Ok(a) => assert_eq!(Area::parse(&a.to_string()), Ok(a), "{text:?}"),
        Err(e) => short(&e),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Characters the parsers care about, plus a few they must refuse.
    const TYPED: &str = "[0-9 .,$%/+-]{0,32}|[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,6}|.{0,24}";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn any_bytes(data in proptest::collection::vec(any::<u8>(), 0..48)) {
            money(&data);
            date(&data);
            nit(&data);
            percentage(&data);
            area(&data);
        }

        #[test]
        fn anything_typed(text in TYPED) {
            let data = text.as_bytes();
            money(data);
            date(data);
            nit(data);
            percentage(data);
            area(data);
        }
    }

    #[test]
    fn a_megabyte_of_input() {
        for data in [
            "9".repeat(1_000_000),
            "1.".repeat(500_000),
            "\0".repeat(1_000_000),
        ] {
            money(data.as_bytes());
            date(data.as_bytes());
            nit(data.as_bytes());
            percentage(data.as_bytes());
            area(data.as_bytes());
        }
    }
}
