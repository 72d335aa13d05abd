//! A small query-string builder, so sort links and pagination keep the filters the user chose.

use std::fmt::Write as _;

/// The pairs of a URL query string, in order. Parse the current request's query with
/// [`QueryString::parse`], change a key or two, and render it with [`QueryString::href`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryString {
    pairs: Vec<(String, String)>,
}

impl QueryString {
    /// Parses `a=1&b=dos+tres` (a leading `?` is ignored); `+` and `%XX` are decoded.
    pub fn parse(query: &str) -> QueryString {
        let query = query.strip_prefix('?').unwrap_or(query);
        let pairs = query
            .split('&')
            .filter(|part| !part.is_empty())
            .map(|part| match part.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(part), String::new()),
            })
            .collect();
        QueryString { pairs }
    }

    /// Builds from pairs (e.g. what an axum `Query<Vec<(String, String)>>` extracted).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> QueryString {
        QueryString {
            pairs: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The first value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A copy with `key` set to `value` (replacing every previous value of that key).
    pub fn with(&self, key: &str, value: &str) -> QueryString {
        let mut out = self.without(key);
        out.pairs.push((key.to_string(), value.to_string()));
        out
    }

    /// A copy without `key`.
    pub fn without(&self, key: &str) -> QueryString {
        QueryString {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| k != key)
                .cloned()
                .collect(),
        }
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The encoded query without `?`: `q=caf%C3%A9&pagina=2`.
    pub fn encoded(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            encode_into(&mut out, k);
            out.push('=');
            encode_into(&mut out, v);
        }
        out
    }

    /// A link relative to the current page: `?q=x&pagina=2`, or `?` when empty (which still
    /// resolves to the current path without a query).
    pub fn href(&self) -> String {
        format!("?{}", self.encoded())
    }
}

fn encode_into(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `AAAA-MM` (the month filters of the lists: `vence=2026-03`) as a month; anything else is no
/// filter.
pub fn month_param(text: &str) -> Option<arriendo_events::YearMonth> {
    let (year, month) = text.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    arriendo_events::YearMonth::new(year.parse().ok()?, month.parse().ok()?).ok()
}

/// A month as the lists' month filter reads it: `2026-03`.
pub fn month_value(month: arriendo_events::YearMonth) -> String {
    format!("{:04}-{:02}", month.year(), month.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_spanish_text() {
        let q = QueryString::parse("?q=caf%C3%A9+con+leche&modalidad=fijo");
        assert_eq!(q.get("q"), Some("café con leche"));
        assert_eq!(q.encoded(), "q=caf%C3%A9+con+leche&modalidad=fijo");
    }

    #[test]
    fn with_replaces_and_appends() {
        let q = QueryString::parse("pagina=3&q=x&pagina=4");
        assert_eq!(q.with("pagina", "5").href(), "?q=x&pagina=5");
        assert_eq!(q.without("pagina").href(), "?q=x");
        assert_eq!(QueryString::default().href(), "?");
    }

    #[test]
    fn bad_escapes_are_kept() {
        assert_eq!(QueryString::parse("a=%zz&b=%4").get("a"), Some("%zz"));
        assert_eq!(QueryString::parse("a=%zz&b=%4").get("b"), Some("%4"));
        assert_eq!(QueryString::parse("a=%41").get("a"), Some("A"));
        assert_eq!(QueryString::parse("&&flag").get("flag"), Some(""));
    }

    #[test]
    fn encodes_reserved_characters() {
        let q = QueryString::from_pairs([("q", "a&b=c/d?")]);
        assert_eq!(q.encoded(), "q=a%26b%3Dc%2Fd%3F");
    }

    #[test]
    fn month_filters_read_aaaa_mm() {
        let m = month_param("2026-03").map(month_value);
        assert_eq!(m.as_deref(), Some("2026-03"));
        for bad in ["", "2026-3", "2026-13", "26-03", "2026-0x", "marzo"] {
            assert!(month_param(bad).is_none(), "{bad}");
        }
    }
}
