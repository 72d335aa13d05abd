//! maud templates of Arriendo.
//!
//! - [`layout`]: the page around every screen ([`layout::page`], [`PageContext`]).
//! - [`components`]: alert cards, badges, tables, pagination, forms, detail lists, timeline, chart.
//! - [`format`]: es-CO money, percentages, dates, relative days.
//! - [`errors`]: 404, 403, 500, 429 pages.
//! - [`auth`]: login, lockout, change password, users administration, access log.
//! - [`assets`]: the embedded stylesheet, script and icon, and their version.
//! - [`query`]: a query-string builder for links that keep filters.

pub mod assets;
pub mod auth;
pub mod components;
pub mod errors;
pub mod format;
pub mod layout;
pub mod pages;
pub mod query;

pub use assets::{APP_CSS, APP_JS, FAVICON_SVG, asset_version};
pub use layout::{Flash, FlashKind, PageContext, UserBadge, page};
pub use query::QueryString;
