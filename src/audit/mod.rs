//! Tamper evidence: every event carries a SHA-256 digest chained over the previous event's digest in
//! global order ([`canonical`]), written right after the append by the sealer ([`seal`]); each backup
//! seals the head of the chain in its manifest and in the seal table ([`seals`]); `arriendo audit
//! verify` and the integrity page recompute the chain and report the first break ([`verify`]).
//! Someone who can write to the database can still rewrite the whole chain; the seals in backups kept
//! elsewhere are what such a rewrite cannot match.

pub mod access;
pub mod canonical;
pub mod cli;
pub mod history;
pub mod seal;
pub mod seals;
pub mod verify;

pub use seal::seal;
pub use seals::Seal;
pub use verify::{Break, BreakKind, ChainReport, EventRef, verify, verify_with};

use chrono::{DateTime, Utc};

/// `27/01/2025 02:00` in Bogotá, as the application shows times.
pub fn bogota_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::America::Bogota)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The chain's state in one sentence (Spanish), as `audit verify` prints it and the integrity page
/// shows it.
pub fn summary(report: &ChainReport) -> String {
    match &report.broken {
        Some(b) => format!("Cadena rota en la {}", b.describe()),
        None if report.sealed_head == 0 => "La cadena aún no tiene eventos sellados.".to_string(),
        None => {
            let mut text = format!(
                "Cadena íntegra hasta la posición {} ({} eventos)",
                report.intact_upto, report.intact_events
            );
            match &report.latest_seal {
                Some(s) => text.push_str(&format!(
                    ", sellada en el respaldo del {} ({}, posición {}).",
                    bogota_time(s.created_at),
                    s.name,
                    s.position
                )),
                None => text.push_str(", sin sellar aún en ningún respaldo."),
            }
            text
        }
    }
}

/// The last verification of the chain, shared by the pages that show its state: `/auditoria` shows it
/// without recomputing the whole chain on every visit; the integrity page always recomputes it.
#[derive(Clone, Debug, Default)]
pub struct ChainCache(std::sync::Arc<tokio::sync::Mutex<Option<Verified>>>);

/// A verification and when it finished.
type Verified = (DateTime<Utc>, ChainReport);

impl ChainCache {
    /// How old a verification `/auditoria` still shows.
    pub const FRESH: chrono::Duration = chrono::Duration::minutes(5);

    /// The last verification. The first call verifies the chain and waits for it; later calls
    /// answer at once with the cached report and, when it is older than [`Self::FRESH`], start a new
    /// verification in the background, so the log page never waits seconds on a large store.
    pub async fn recent(
        &self,
        db: &crate::store::Db,
    ) -> Result<(DateTime<Utc>, ChainReport), crate::store::StoreError> {
        let mut cached = self.0.lock().await;
        let Some((at, report)) = cached.clone() else {
            let report = verify(db).await?;
            let at = Utc::now();
            *cached = Some((at, report.clone()));
            return Ok((at, report));
        };
        if Utc::now() - at >= Self::FRESH {
            // Marked fresh now so that only one background verification runs at a time.
            *cached = Some((Utc::now(), report.clone()));
            let (cache, db) = (self.clone(), db.clone());
            tokio::spawn(async move {
                match verify(&db).await {
                    Ok(fresh) => cache.store(&fresh).await,
                    Err(e) => {
                        tracing::error!(error = %e, "background verification of the chain failed")
                    }
                }
            });
        }
        Ok((at, report))
    }

    /// Stores a verification made elsewhere (the integrity page).
    pub async fn store(&self, report: &ChainReport) {
        *self.0.lock().await = Some((Utc::now(), report.clone()));
    }
}
