//! File names of a backup set. A set is complete only when its manifest exists; every file is first
//! written under a hidden `.partial` name and renamed when complete, the manifest last.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

pub const STAMP_FORMAT: &str = "%Y%m%d_%H%M%S";
pub const PARTIAL_SUFFIX: &str = ".partial";

/// `backup_YYYYMMDD_HHMMSS` (UTC): the set's name, shared by its files.
pub fn set_name(at: DateTime<Utc>) -> String {
    format!("backup_{}", at.format(STAMP_FORMAT))
}

pub fn stamp_of(set: &str) -> Option<&str> {
    set.strip_prefix("backup_")
}

pub fn manifest_name(set: &str) -> String {
    format!("{set}.manifest.json")
}

pub fn json_name(set: &str, compressed: bool, encrypted: bool) -> String {
    let mut name = format!("{set}.json");
    if compressed {
        name.push_str(".gz");
    }
    if encrypted {
        name.push_str(".age");
    }
    name
}

/// `backup_db_YYYYMMDD_HHMMSS.sqlite3` on SQLite, `.pgdump` (pg_dump custom format) on PostgreSQL.
pub fn db_name(set: &str, extension: &str, encrypted: bool) -> String {
    let stamp = stamp_of(set).unwrap_or(set);
    let mut name = format!("backup_db_{stamp}.{extension}");
    if encrypted {
        name.push_str(".age");
    }
    name
}

/// The hidden temporary name a file is written under.
pub fn partial_name(name: &str) -> String {
    format!(".{name}{PARTIAL_SUFFIX}")
}

pub fn is_partial(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(PARTIAL_SUFFIX)
}

/// The set name of a manifest file name, when it is one.
pub fn set_of_manifest(file_name: &str) -> Option<&str> {
    let set = file_name.strip_suffix(".manifest.json")?;
    parse_stamp(set).map(|_| set)
}

/// The time a set was taken, from its name.
pub fn parse_stamp(set: &str) -> Option<DateTime<Utc>> {
    let stamp = stamp_of(set)?;
    let naive = NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT).ok()?;
    Some(Utc.from_utc_datetime(&naive))
}

/// The set a file belongs to: `backup_X.json…`, `backup_db_X.…` or `backup_X.manifest.json`.
pub fn set_of_file(file_name: &str) -> Option<String> {
    let rest = file_name.strip_prefix("backup_")?;
    let rest = rest.strip_prefix("db_").unwrap_or(rest);
    let stamp = rest.get(..15)?;
    let set = format!("backup_{stamp}");
    parse_stamp(&set).map(|_| set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let at = Utc.with_ymd_and_hms(2025, 1, 27, 7, 0, 0).unwrap();
        let set = set_name(at);
        assert_eq!(set, "backup_20250127_070000");
        assert_eq!(parse_stamp(&set), Some(at));
        assert_eq!(
            json_name(&set, true, true),
            "backup_20250127_070000.json.gz.age"
        );
        assert_eq!(
            db_name(&set, "sqlite3", false),
            "backup_db_20250127_070000.sqlite3"
        );
        assert_eq!(
            set_of_file("backup_db_20250127_070000.sqlite3").as_deref(),
            Some(set.as_str())
        );
        assert_eq!(set_of_manifest(&manifest_name(&set)), Some(set.as_str()));
        assert!(is_partial(&partial_name("backup_20250127_070000.json")));
        assert_eq!(set_of_file(".backup_20250127_070000.json.partial"), None);
    }
}
