//! The domain's command handlers, one cqrs-es framework per aggregate, on the app's store.

use arriendo_events::{
    CATALOGOS_ID, Catalogos, CatalogosCommand, Contrato, ContratoCommand, DomainError, Empresa,
    EmpresaCommand, Indice, IndiceCommand, Local, LocalCommand, Tercero, TerceroCommand,
};

use crate::store::{CommandError, Db, Framework, Metadata};

/// How many times a command that lost an append race is decided again: each race has a winner, so
/// this many people saving on one stream at the same instant all get through.
const APPEND_RETRIES: u32 = 16;

/// Runs `attempt` again when it lost the race to another append on the same stream
/// (`CommandError::Conflict`), up to [`APPEND_RETRIES`] times, a few milliseconds apart. Deciding
/// again on the new state is what running the two one after the other would have done: an edit
/// still carries the version of the part it replaces, so one prepared from a part that changed
/// meanwhile is refused as stale by the domain, while a note, a document or an edit of another
/// part is not lost to a race it had no reason to lose.
async fn retrying<F, Fut>(mut attempt: F) -> Result<(), CommandError<DomainError>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), CommandError<DomainError>>>,
{
    let mut retries = 0;
    loop {
        match attempt().await {
            Err(CommandError::Conflict) if retries < APPEND_RETRIES => {
                retries += 1;
                // A little apart, so the losers do not meet again at once.
                let pause =
                    2 * u64::from(retries) + u64::from(uuid::Uuid::new_v4().as_bytes()[0] % 8);
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            }
            other => return other,
        }
    }
}

pub struct Commands {
    pub contratos: Framework<Contrato>,
    pub terceros: Framework<Tercero>,
    pub locales: Framework<Local>,
    pub indices: Framework<Indice>,
    pub empresa: Framework<Empresa>,
    pub catalogos: Framework<Catalogos>,
}

impl Commands {
    pub fn new(db: &Db) -> Self {
        Self {
            contratos: Framework::new(db, (), arriendo_events::upcasters),
            terceros: Framework::new(db, (), arriendo_events::upcasters),
            locales: Framework::new(db, (), arriendo_events::upcasters),
            indices: Framework::new(db, (), arriendo_events::upcasters),
            empresa: Framework::new(db, (), arriendo_events::upcasters),
            catalogos: Framework::new(db, (), arriendo_events::upcasters),
        }
    }

    /// A command to one contract's stream, decided again if it lost an append race (see
    /// [`retrying`]): two people adding a note or a document to one contract at once both succeed.
    pub async fn contrato(
        &self,
        id: &str,
        command: ContratoCommand,
        metadata: Metadata,
    ) -> Result<(), CommandError<DomainError>> {
        retrying(|| {
            self.contratos
                .execute(id, command.clone(), metadata.clone())
        })
        .await
    }

    pub async fn tercero(
        &self,
        id: &str,
        command: TerceroCommand,
        metadata: Metadata,
    ) -> Result<(), CommandError<DomainError>> {
        self.terceros.execute(id, command, metadata).await
    }

    pub async fn local(
        &self,
        id: &str,
        command: LocalCommand,
        metadata: Metadata,
    ) -> Result<(), CommandError<DomainError>> {
        self.locales.execute(id, command, metadata).await
    }

    /// The contract as its stream says now (for edit forms: see [`Framework::load`]);
    /// `None` when it was never created.
    pub async fn load_contrato(
        &self,
        id: &str,
    ) -> Result<Option<Contrato>, CommandError<DomainError>> {
        let c = self.contratos.load(id).await?;
        Ok(c.terms.is_some().then_some(c))
    }

    pub async fn load_tercero(
        &self,
        id: &str,
    ) -> Result<Option<Tercero>, CommandError<DomainError>> {
        let t = self.terceros.load(id).await?;
        Ok(t.data.is_some().then_some(t))
    }

    pub async fn load_local(&self, id: &str) -> Result<Option<Local>, CommandError<DomainError>> {
        let l = self.locales.load(id).await?;
        Ok(l.data.is_some().then_some(l))
    }

    pub async fn indice(
        &self,
        id: &str,
        command: IndiceCommand,
        metadata: Metadata,
    ) -> Result<(), CommandError<DomainError>> {
        self.indices.execute(id, command, metadata).await
    }

    /// A command to the company's one stream.
    pub async fn empresa(
        &self,
        command: EmpresaCommand,
        metadata: Metadata,
    ) -> Result<(), CommandError<DomainError>> {
        let id = arriendo_events::COMPANY_ID.to_string();
        self.empresa.execute(&id, command, metadata).await
    }

    /// A change of the catalogs (tipos de contrato y de servicio, cláusulas): one stream. An
    /// append that lost the race to another append on that stream (another entry, usually) is
    /// decided again on the new state, a few times: the commands carry no stream version, and an
    /// edit prepared from a stale entry is refused by that entry's own version, not by the race.
    pub async fn catalogos(
        &self,
        command: CatalogosCommand,
        metadata: Metadata,
    ) -> Result<(), CommandError<DomainError>> {
        retrying(|| {
            self.catalogos
                .execute(CATALOGOS_ID, command.clone(), metadata.clone())
        })
        .await
    }

    /// The catalogs as their stream says now (for edit forms).
    pub async fn load_catalogos(&self) -> Result<Catalogos, CommandError<DomainError>> {
        self.catalogos.load(CATALOGOS_ID).await
    }
}
