//! Reading numbers the way people in Colombia type them.

/// Turns an es-CO number (`1.234.567,50`, `1234567`, `1.234`) into the plain form Rust parses
/// (`1234567.50`). `None` when the text is not a number.
///
/// Rules:
/// - the comma is the decimal mark (at most one, followed by at least one digit);
/// - a dot followed by exactly three digits is a thousands separator;
/// - when there is no comma, a single dot followed by one or two digits at the end is read as a
///   decimal mark (`1234.5`), because that is the only sensible reading of it;
/// - anything else (letters, signs, empty groups) is not a number.
pub(crate) fn normalize_es_number(text: &str) -> Option<String> {
    let (int_part, frac_part) = match text.split_once(',') {
        Some((int_part, frac)) => {
            if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (int_part, Some(frac))
        }
        None => (text, None),
    };
    if int_part.is_empty() {
        return None;
    }
    let groups: Vec<&str> = int_part.split('.').collect();
    if groups
        .iter()
        .any(|g| g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if frac_part.is_none() && groups.len() == 2 && (1..=2).contains(&groups[1].len()) {
        return Some(format!("{}.{}", groups[0], groups[1]));
    }
    if groups.iter().skip(1).any(|g| g.len() != 3) {
        return None;
    }
    let digits: String = groups.concat();
    Some(match frac_part {
        Some(frac) => format!("{digits}.{frac}"),
        None => digits,
    })
}

/// `1234567` → `1.234.567`.
pub(crate) fn group_thousands(value: u128) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len().saturating_mul(2));
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && digits.len().saturating_sub(i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_es_co_numbers() {
        assert_eq!(normalize_es_number("1.234.567").as_deref(), Some("1234567"));
        assert_eq!(normalize_es_number("1234567").as_deref(), Some("1234567"));
        assert_eq!(
            normalize_es_number("1.234.567,50").as_deref(),
            Some("1234567.50")
        );
        assert_eq!(normalize_es_number("1.234").as_deref(), Some("1234"));
        assert_eq!(normalize_es_number("1234.5").as_deref(), Some("1234.5"));
        assert_eq!(normalize_es_number("1.23.456"), None);
        assert_eq!(normalize_es_number("1,"), None);
        assert_eq!(normalize_es_number(",5"), None);
        assert_eq!(normalize_es_number("1,2,3"), None);
        assert_eq!(normalize_es_number("abc"), None);
        assert_eq!(normalize_es_number(""), None);
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1.000");
        assert_eq!(group_thousands(1_234_567), "1.234.567");
    }
}
