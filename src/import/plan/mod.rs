//! Every source row becomes commands, decided in memory by the same pure `decide` the app runs, in
//! stream order. Nothing here touches the store: the caller takes the decided events after each
//! step (`take_events`) and writes them. Any row that cannot be brought over is an error in the
//! report, and one error means nothing is written.

mod catalogs;
mod clausulas;
pub(crate) mod contract;
pub mod digests;
mod documents;
mod empresa;
mod records;
mod sales;

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, Utc};
use cqrs_es::DomainEvent;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use arriendo_events::{
    Actor, CATALOGOS_ID, Catalogos, CatalogosCommand, CatalogosEvent, Contrato, ContratoCommand,
    ContratoEvent, DomainError, Empresa, EmpresaCommand, EmpresaEvent, Indice, IndiceCommand,
    IndiceEvent, Local, LocalCommand, LocalEvent, OtroSiNumber, RenewalNumber, Role, Tercero,
    TerceroCommand, TerceroEvent, TerceroKind,
};

use super::report::Report;
use super::source::{Row, Source, SourceError};

/// Who the imported events say did them (the old system's usernames are kept where it has them).
pub const IMPORT_USER: &str = "importacion-django";

/// One event ready to append, exactly as cqrs-es would store it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    pub aggregate_type: &'static str,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: Value,
    pub metadata: Value,
}

/// The row an event comes from, and its own time when the source has one (UTC).
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub table: &'static str,
    pub id: i64,
    pub time: Option<NaiveDateTime>,
}

impl Origin {
    pub fn of(row: &Row, time_column: Option<&str>) -> Origin {
        Origin {
            table: row.table,
            id: row.id,
            time: time_column.and_then(|c| row.opt_datetime(c).ok().flatten()),
        }
    }
}

/// An aggregate whose pure decision the planner runs.
pub trait Decide: Default {
    type Command;
    type Event: DomainEvent + Serialize;
    const TYPE: &'static str;
    fn decide_command(&self, command: Self::Command) -> Result<Vec<Self::Event>, DomainError>;
    fn apply(&mut self, event: Self::Event);
}

macro_rules! decide_via {
    ($state:ty, $command:ty, $event:ty, $type:expr) => {
        impl Decide for $state {
            type Command = $command;
            type Event = $event;
            const TYPE: &'static str = $type;
            fn decide_command(&self, c: $command) -> Result<Vec<$event>, DomainError> {
                self.decide(c)
            }
            fn apply(&mut self, e: $event) {
                self.apply_event(e)
            }
        }
    };
}
decide_via!(Contrato, ContratoCommand, ContratoEvent, "contrato");
decide_via!(Tercero, TerceroCommand, TerceroEvent, "tercero");
decide_via!(Local, LocalCommand, LocalEvent, "local");
decide_via!(Indice, IndiceCommand, IndiceEvent, "indice");
decide_via!(Empresa, EmpresaCommand, EmpresaEvent, "empresa");
decide_via!(Catalogos, CatalogosCommand, CatalogosEvent, "catalogos");

/// One stream being built: its id, its state so far and its last sequence.
pub struct Stream<A> {
    pub id: String,
    pub state: A,
    seq: i64,
}

impl<A: Decide> Stream<A> {
    pub fn new(id: impl Into<String>) -> Self {
        Stream {
            id: id.into(),
            state: A::default(),
            seq: 0,
        }
    }
}

/// A contract as planned: its Django id, number, stream and the numbers its documents got.
pub struct PlannedContract {
    pub row_id: i64,
    pub number: String,
    pub stream: Stream<Contrato>,
    pub otro_si: HashMap<i64, OtroSiNumber>,
    pub renewals: HashMap<i64, RenewalNumber>,
    pub polizas: HashMap<i64, Uuid>,
}

/// A user to create, with the hash of the temporary password the caller generated.
pub struct NewUser {
    pub row_id: i64,
    pub username: String,
    pub role: Role,
    pub password_hash: String,
}

pub struct Planner<'a> {
    pub src: &'a Source,
    pub report: Report,
    pub as_of: NaiveDate,
    pub admin: Actor,
    events: Vec<Planned>,
    request_id: String,
    now: String,
    pub terceros: HashMap<i64, (Uuid, TerceroKind)>,
    pub locales: HashMap<i64, Uuid>,
    pub contracts: Vec<PlannedContract>,
    pub nits: HashSet<(TerceroKind, String)>,
    pub local_names: HashSet<String>,
    pub numbers: HashSet<String>,
    pub digests: digests::DigestImport,
    /// The catalogs' one stream (tipos, cláusulas) and the ids its rows got.
    pub catalogos: Stream<Catalogos>,
    pub catalog_ids: clausulas::CatalogIds,
}

impl<'a> Planner<'a> {
    pub fn new(src: &'a Source, report: Report, as_of: NaiveDate) -> Self {
        Planner {
            src,
            report,
            as_of,
            admin: Actor::new(IMPORT_USER, Role::Administrador),
            events: vec![],
            request_id: Uuid::now_v7().to_string(),
            now: Utc::now().to_rfc3339(),
            terceros: HashMap::new(),
            locales: HashMap::new(),
            contracts: vec![],
            nits: HashSet::new(),
            local_names: HashSet::new(),
            numbers: HashSet::new(),
            digests: digests::DigestImport::default(),
            catalogos: Stream::new(CATALOGOS_ID),
            catalog_ids: clausulas::CatalogIds::default(),
        }
    }

    fn metadata(&self, user: &str, origin: &Origin) -> Value {
        let mut meta = json!({
            "user": user,
            "request_id": self.request_id,
            "time": self.now,
            "imported_from": "django",
            "source_table": origin.table,
            "source_id": origin.id.to_string(),
        });
        if let (Some(time), Some(map)) = (origin.time, meta.as_object_mut()) {
            map.insert(
                "source_time".into(),
                Value::String(time.and_utc().to_rfc3339()),
            );
        }
        meta
    }

    /// Decides `command` on the stream and keeps the events it produced.
    pub fn exec<A: Decide>(
        &mut self,
        stream: &mut Stream<A>,
        user: &str,
        command: A::Command,
        origin: &Origin,
    ) -> Result<(), DomainError> {
        for event in stream.state.decide_command(command)? {
            stream.seq = stream.seq.saturating_add(1);
            let payload = serde_json::to_value(&event).unwrap_or(Value::Null);
            self.events.push(Planned {
                aggregate_type: A::TYPE,
                aggregate_id: stream.id.clone(),
                sequence: stream.seq,
                event_type: event.event_type(),
                event_version: event.event_version(),
                payload,
                metadata: self.metadata(user, origin),
            });
            stream.state.apply(event);
        }
        Ok(())
    }

    /// A user-creation event (the `usuario` aggregate is the app's, not the domain's).
    pub fn push_user(&mut self, user: &NewUser, origin: &Origin) {
        let event = crate::auth::user::UserEvent::UserCreated {
            username: user.username.clone(),
            role: user.role,
            password_hash: user.password_hash.clone(),
            // Shown once by the import: the user chooses their own at the first login.
            temporary: true,
        };
        self.events.push(Planned {
            aggregate_type: "usuario",
            aggregate_id: user.username.clone(),
            sequence: 1,
            event_type: event.event_type(),
            event_version: event.event_version(),
            payload: serde_json::to_value(&event).unwrap_or(Value::Null),
            metadata: self.metadata(IMPORT_USER, origin),
        });
    }

    /// Records a refusal of the domain (or a bad value) as an error naming the row.
    pub fn refuse(&mut self, row: &Row, subject: &str, reason: impl std::fmt::Display) {
        self.report
            .error(row.table, row.id, subject, reason.to_string());
    }

    pub fn source_error(&mut self, subject: &str, e: SourceError) {
        match &e {
            SourceError::Value { table, id, .. } => {
                let table = *table;
                let id = *id;
                self.report.error(table, id, subject, e.to_string())
            }
            _ => self.report.error("?", 0, subject, e.to_string()),
        }
    }

    /// The steps before any contract: accounts, indices, terceros, locales, catalogs, company and
    /// the e-mail settings, read from the whole tables.
    pub fn before_contracts(&mut self, users: &[NewUser]) {
        for (table, read) in self.src.counts() {
            self.report.count(table).read = *read;
        }
        self.users(users);
        self.indices();
        self.terceros();
        self.locales();
        self.catalogos();
        self.company();
        self.digests();
    }

    /// Plans the contracts of the source's window, each with its documents, records and
    /// checklist, and compares each with the old system on the import date. The contracts' own
    /// states are dropped afterwards: the next window never looks back.
    pub fn contract_window(&mut self) {
        self.contracts();
        self.checklists();
        super::compare::differences(self);
        self.contracts.clear();
    }

    /// Rows that hang from a contract the source does not have: nothing to attach them to.
    pub fn orphans(&mut self, rows: &[Row]) {
        for row in rows {
            let contract = row.opt_int("contrato_id").ok().flatten();
            let subject =
                contract.map_or_else(|| "sin contrato".to_string(), |id| format!("contrato {id}"));
            self.report.skip(
                row.table,
                row.id,
                subject,
                "su contrato no existe en el sistema anterior",
            );
        }
    }

    /// The events decided since the last call, to be written (or, in a rehearsal, counted).
    pub fn take_events(&mut self) -> Vec<Planned> {
        std::mem::take(&mut self.events)
    }

    /// The same planner over another view of the source (the next window of contracts).
    pub fn on<'b>(self, src: &'b Source) -> Planner<'b> {
        Planner {
            src,
            report: self.report,
            as_of: self.as_of,
            admin: self.admin,
            events: self.events,
            request_id: self.request_id,
            now: self.now,
            terceros: self.terceros,
            locales: self.locales,
            contracts: self.contracts,
            nits: self.nits,
            local_names: self.local_names,
            numbers: self.numbers,
            digests: self.digests,
            catalogos: self.catalogos,
            catalog_ids: self.catalog_ids,
        }
    }

    /// The steps after the last contract; returns the alert digests' rows and the report.
    pub fn finish(mut self) -> (digests::DigestImport, Report) {
        self.not_modelled();
        // Grouped by contract for the reader, each contract's in the order found (its billing
        // first, then the comparison on the import date), whatever the window.
        self.report
            .differences
            .sort_by(|a, b| a.contract.cmp(&b.contract));
        self.report.convert("Comparación de alertas con el sistema anterior: vencimiento, preaviso, terminación anticipada y renovación automática (mismas reglas con el fin y la vigencia de cada sistema), pólizas requeridas no aportadas (cada sistema con su regla) y la alerta nueva de informes de ventas; las de pólizas críticas y ajustes no se comparan");
        (self.digests, self.report)
    }
}
