//! Value types that cannot hold invalid values. Each parses what people type and displays in es-CO.

mod area;
pub mod bounds;
mod dates;
mod email;
mod file;
mod money;
mod nit;
mod number;
mod percentage;

pub use area::Area;
pub(crate) use bounds::{quoted, thousands};
pub use dates::{DateRange, YEARS, YearMonth, add_months, format_date, parse_date};
pub use email::Email;
pub use file::{MAX_DOCUMENT_BYTES, MAX_LOGO_BYTES, MediaType, StoredFile, format_size};
pub use money::Money;
pub use nit::{Nit, check_digit_of};
pub use percentage::Percentage;
