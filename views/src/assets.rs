//! The stylesheet, script and icon, embedded in the binary.
//!
//! The application serves them at [`CSS_PATH`], [`JS_PATH`] and [`FAVICON_PATH`]; pages reference them
//! with `?v=<asset_version()>` so they can be cached for a long time (`Cache-Control: public,
//! max-age=31536000, immutable`) and still change on every release that changes them.

/// The whole stylesheet (`text/css; charset=utf-8`).
pub const APP_CSS: &str = include_str!("../assets/app.css");
/// The whole script (`text/javascript; charset=utf-8`), loaded with `defer`.
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The icon (`image/svg+xml`).
pub const FAVICON_SVG: &str = include_str!("../assets/favicon.svg");

/// Where the application serves [`APP_CSS`].
pub const CSS_PATH: &str = "/static/app.css";
/// Where the application serves [`APP_JS`].
pub const JS_PATH: &str = "/static/app.js";
/// Where the application serves [`FAVICON_SVG`].
pub const FAVICON_PATH: &str = "/static/favicon.svg";

/// 64-bit FNV-1a, evaluated at compile time over the assets.
const fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    let mut hash = hash;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of all embedded assets, computed when the crate is compiled.
pub const ASSET_HASH: u64 = fnv1a(
    fnv1a(fnv1a(FNV_OFFSET, APP_CSS.as_bytes()), APP_JS.as_bytes()),
    FAVICON_SVG.as_bytes(),
);

/// A short version tag of the assets (12 hex digits), to put after `?v=`.
pub fn asset_version() -> String {
    format!("{:012x}", ASSET_HASH >> 16)
}

/// The URL of an asset with its version: `asset_url(CSS_PATH)` → `/static/app.css?v=…`.
pub fn asset_url(path: &str) -> String {
    format!("{path}?v={}", asset_version())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_short_hex_and_stable() {
        let v = asset_version();
        assert_eq!(v.len(), 12);
        assert!(v.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(v, asset_version());
    }

    #[test]
    fn fnv_matches_reference_values() {
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn assets_load_nothing_from_elsewhere() {
        for (name, text) in [("css", APP_CSS), ("js", APP_JS)] {
            assert!(!text.contains("http://"), "{name}");
            assert!(!text.contains("https://"), "{name}");
            assert!(!text.contains("@import"), "{name}");
            assert!(
                !text.contains("url("),
                "{name}: CSP blocks data: and remote urls"
            );
        }
        assert!(!APP_JS.contains("eval("));
        assert!(!APP_JS.contains("innerHTML"));
    }

    #[test]
    fn assets_are_not_empty() {
        assert!(APP_CSS.contains("--color-danger"));
        assert!(APP_JS.contains("data-money"));
        assert!(FAVICON_SVG.starts_with("<svg"));
        assert!(asset_url(CSS_PATH).starts_with("/static/app.css?v="));
    }
}
