//! Empresa: the landlord company itself — the name, NIT and logo printed on exports, printed pages
//! and e-mails. One stream for the whole installation ([`COMPANY_ID`]).

mod aggregate;
mod data;
mod event;
#[cfg(test)]
mod tests;

pub use aggregate::{COMPANY_ID, Empresa, EmpresaCommand};
pub use data::CompanyData;
pub use event::EmpresaEvent;
