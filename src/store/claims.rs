//! Uniqueness across aggregates, decided in the transaction that appends the event.
//!
//! Migration 0009 keeps `unique_claims (scope, value, aggregate_type, aggregate_id)` with a trigger on
//! `INSERT INTO events`: an event that sets a contract number, a tercero's NIT or a local's name
//! claims the normalised value for its aggregate (releasing what the aggregate held before in that
//! scope). When another aggregate holds it, the trigger raises `unique_claim_taken:<scope>`, the
//! insert fails, and cqrs-es rolls the whole append back. It raises rather than violating a unique
//! index because sqlite-es and postgres-es report every unique violation as an optimistic-lock
//! conflict, which would hide which field was taken.
//!
//! Events inserted with an explicit `position` are restores of an existing log: they claim "first
//! come keeps it" and never refuse, so a log that already holds duplicates (recorded before 0009)
//! restores as it is. Deleting events releases their aggregates' claims.

use std::fmt;

/// Which uniqueness rule a value falls under. The names are the `scope` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimScope {
    /// Contract number (trimmed, case-insensitive).
    ContratoNumero,
    /// NIT of a tenant, digits without the check digit.
    NitArrendatario,
    /// NIT of a supplier, digits without the check digit.
    NitProveedor,
    /// Commercial name of a local (trimmed, case-insensitive).
    LocalNombre,
}

/// The message prefix the triggers raise.
const TAKEN: &str = "unique_claim_taken:";

impl ClaimScope {
    pub const ALL: [ClaimScope; 4] = [
        ClaimScope::ContratoNumero,
        ClaimScope::NitArrendatario,
        ClaimScope::NitProveedor,
        ClaimScope::LocalNombre,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimScope::ContratoNumero => "contrato_numero",
            ClaimScope::NitArrendatario => "nit_arrendatario",
            ClaimScope::NitProveedor => "nit_proveedor",
            ClaimScope::LocalNombre => "local_nombre",
        }
    }

    /// The scope named by a claim trigger's refusal, if `err` is one.
    pub fn refused_by(err: &sqlx::Error) -> Option<ClaimScope> {
        let message = err.as_database_error()?.message();
        let name = message.split(TAKEN).nth(1)?.trim();
        Self::ALL.into_iter().find(|s| name.starts_with(s.as_str()))
    }
}

impl fmt::Display for ClaimScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Recomputes every claim from the event log, in the caller's transaction: each aggregate's latest
/// value, the first to take a value keeping it. For a restore that wrote its events by other means
/// than `INSERT INTO events` (a shadow table swapped in), so the claims match the restored log.
pub async fn rebuild(tx: &mut super::Tx) -> Result<(), super::StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("DELETE FROM unique_claims").execute(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO unique_claims (scope, value, aggregate_type, aggregate_id) \
             SELECT scope, value, aggregate_type, aggregate_id FROM unique_claims_from_events",
        )
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
