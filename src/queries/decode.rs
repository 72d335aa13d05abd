//! Values read back from the read models. The projector writes them, so a value that does not
//! decode means a damaged read model: it is an error for the page (and the log), never a default
//! that would show 01/01/1970 as if it were true.

use chrono::NaiveDate;

use crate::store::StoreError;

/// An ISO date (`YYYY-MM-DD`) stored as text.
pub fn iso_date(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        StoreError::Invalid(format!(
            "read model holds {text:?} where a date YYYY-MM-DD belongs"
        ))
    })
}

/// An optional ISO date.
pub fn opt_iso_date(text: Option<&str>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(iso_date).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_date_is_an_error_not_1970() {
        assert_eq!(
            iso_date("2026-12-02").unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
        let err = iso_date("02/12/2026").unwrap_err().to_string();
        assert!(err.contains("02/12/2026"), "{err}");
        assert!(iso_date("").is_err());
        assert_eq!(opt_iso_date(None).unwrap(), None);
        assert!(opt_iso_date(Some("2026-13-01")).is_err());
    }
}
