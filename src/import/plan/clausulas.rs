//! Tipos de contrato y de servicio, cláusulas, where each clause is mandatory, and each contract's
//! checklist: the catalogs' one stream, and one `ClauseChecklistRecorded` per contract.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use arriendo_events::catalogos::name_key;
use arriendo_events::{
    CatalogosCommand, ClauseData, ClauseScope, ContratoCommand, ContratoPart, TypeCatalog,
};

use super::{Origin, Planner};
use crate::import::source::Row;

/// The largest «orden» Arriendo keeps (larger ones are brought down to it).
const MAX_ORDER: i64 = 100_000;

/// The Django ids of the catalogs' rows and the ids they got.
#[derive(Default)]
pub struct CatalogIds {
    pub contract_types: HashMap<i64, Uuid>,
    pub service_types: HashMap<i64, Uuid>,
    pub clauses: HashMap<i64, Uuid>,
}

impl Planner<'_> {
    /// Runs a command on the catalogs' stream; `Ok(false)` when it recorded nothing.
    fn on_catalogs(&mut self, command: CatalogosCommand, row: &Row) -> Result<bool, String> {
        let mut stream = std::mem::replace(&mut self.catalogos, super::Stream::new(""));
        let before = stream.state.version;
        let user = self.admin.username.clone();
        let result = self.exec(
            &mut stream,
            &user,
            command,
            &Origin::of(row, Some("fecha_creacion")),
        );
        let recorded = stream.state.version != before;
        self.catalogos = stream;
        result.map(|()| recorded).map_err(|e| e.to_string())
    }

    pub(super) fn catalogos(&mut self) {
        self.types("gestion_tipocontrato", TypeCatalog::Contrato);
        self.types("gestion_tiposervicio", TypeCatalog::Servicio);
        self.clauses();
        self.mandatory();
    }

    fn types(&mut self, table: &'static str, catalog: TypeCatalog) {
        for row in self.src.rows(table) {
            let name = row.opt_text("nombre").unwrap_or_default();
            let subject = format!("{} {name}", catalog.label());
            let key = name_key(&name);
            let same = self
                .catalogos
                .state
                .types_of(catalog)
                .into_iter()
                .find(|t| name_key(&t.name) == key)
                .map(|t| (t.id, t.name.clone()));
            if let Some((id, other)) = same {
                self.report.skip(
                    table,
                    row.id,
                    &subject,
                    format!("mismo nombre que «{other}» sin distinguir mayúsculas ni tildes: sus contratos quedan con ese tipo"),
                );
                self.type_ids(catalog).insert(row.id, id);
                continue;
            }
            let id = Uuid::new_v4();
            let command = CatalogosCommand::RegisterType {
                actor: self.admin.clone(),
                id,
                catalog,
                name,
            };
            match self.on_catalogs(command, row) {
                Ok(_) => {
                    self.report.imported(table);
                    self.type_ids(catalog).insert(row.id, id);
                }
                Err(e) => self.refuse(row, &subject, e),
            }
        }
    }

    fn type_ids(&mut self, catalog: TypeCatalog) -> &mut HashMap<i64, Uuid> {
        match catalog {
            TypeCatalog::Contrato => &mut self.catalog_ids.contract_types,
            TypeCatalog::Servicio => &mut self.catalog_ids.service_types,
        }
    }

    fn clauses(&mut self) {
        for row in self.src.rows("gestion_clausula") {
            let title = row.opt_text("titulo").unwrap_or_default();
            let subject = format!("cláusula {title}");
            let order = row.opt_int("orden").ok().flatten().unwrap_or(0);
            let active = row.opt_flag("activa").ok().flatten().unwrap_or(true);
            let key = name_key(&title);
            if let Some((id, other)) = self
                .catalogos
                .state
                .clauses
                .iter()
                .find(|c| name_key(&c.data.title) == key)
                .map(|c| (c.id, c.data.title.clone()))
            {
                self.report.skip(
                    row.table,
                    row.id,
                    &subject,
                    format!("mismo título que «{other}»: sus filas se importan con esa cláusula"),
                );
                self.catalog_ids.clauses.insert(row.id, id);
                continue;
            }
            let id = Uuid::new_v4();
            let command = CatalogosCommand::RegisterClause {
                actor: self.admin.clone(),
                id,
                clause: ClauseData {
                    title,
                    text: String::new(),
                    category: String::new(),
                    order: u32::try_from(order.clamp(0, MAX_ORDER)).unwrap_or(0),
                    active,
                },
            };
            match self.on_catalogs(command, row) {
                Ok(_) => {
                    self.report.imported(row.table);
                    self.catalog_ids.clauses.insert(row.id, id);
                }
                Err(e) => self.refuse(row, &subject, e),
            }
        }
        self.report.convert("Cláusulas: el sistema anterior guarda solo el título; el texto y la categoría quedan vacíos para completarlos en Arriendo");
    }

    /// The scope a `gestion_clausulaobligatoria` row names, or why it has none.
    fn scope_of(&self, row: &Row) -> Result<ClauseScope, String> {
        let cp = row
            .opt_text("tipo_contrato_cliente_proveedor")
            .unwrap_or_default();
        let (column, ids, all, of): (_, _, _, fn(Uuid) -> ClauseScope) = match cp.as_str() {
            "CLIENTE" => (
                "tipo_contrato_id",
                &self.catalog_ids.contract_types,
                ClauseScope::AllClient,
                ClauseScope::ContractType,
            ),
            "PROVEEDOR" => (
                "tipo_servicio_id",
                &self.catalog_ids.service_types,
                ClauseScope::AllSupplier,
                ClauseScope::ServiceType,
            ),
            other => return Err(format!("clase de contrato desconocida {other:?}")),
        };
        match row.opt_int(column).ok().flatten() {
            None => Ok(all),
            Some(type_row) => ids
                .get(&type_row)
                .map(|id| of(*id))
                .ok_or_else(|| format!("su tipo ({column} {type_row}) no se importó")),
        }
    }

    fn mandatory(&mut self) {
        for row in self.src.rows("gestion_clausulaobligatoria") {
            let subject = format!("cláusula obligatoria {}", row.id);
            if !row.opt_flag("activa").ok().flatten().unwrap_or(false) {
                self.report.skip(
                    row.table,
                    row.id,
                    &subject,
                    "inactiva en el sistema anterior (el alcance se desmarcó): no es obligatoria",
                );
                continue;
            }
            let clause = row
                .opt_int("clausula_id")
                .ok()
                .flatten()
                .and_then(|c| self.catalog_ids.clauses.get(&c).copied());
            let scope = self.scope_of(row);
            let (Some(clause_id), Ok(scope)) = (clause, scope.clone()) else {
                let why = scope
                    .err()
                    .unwrap_or_else(|| "su cláusula no se importó".into());
                self.report.skip(row.table, row.id, &subject, &why);
                continue;
            };
            let command = CatalogosCommand::SetMandatory {
                actor: self.admin.clone(),
                clause_id,
                scope,
                mandatory: true,
            };
            match self.on_catalogs(command, row) {
                Ok(true) => self.report.imported(row.table),
                Ok(false) => self.report.skip(
                    row.table,
                    row.id,
                    &subject,
                    "fila repetida: la cláusula ya era obligatoria en ese alcance",
                ),
                Err(e) => self.refuse(row, &subject, e),
            }
        }
    }

    /// The type of a contract row: `tipo_contrato_id` for clients, `tipo_servicio_id` for suppliers.
    pub(super) fn contract_type(&self, row: &Row, catalog: TypeCatalog) -> Option<Uuid> {
        let (column, ids) = match catalog {
            TypeCatalog::Contrato => ("tipo_contrato_id", &self.catalog_ids.contract_types),
            TypeCatalog::Servicio => ("tipo_servicio_id", &self.catalog_ids.service_types),
        };
        let id = row.opt_int(column).ok().flatten()?;
        ids.get(&id).copied()
    }

    /// Each contract's checklist (`gestion_clausulacontrato`), one event per contract.
    pub(super) fn checklists(&mut self) {
        let mut by_contract: BTreeMap<i64, Vec<&Row>> = BTreeMap::new();
        for row in self.src.rows("gestion_clausulacontrato") {
            let contract = row.opt_int("contrato_id").ok().flatten().unwrap_or(0);
            by_contract.entry(contract).or_default().push(row);
        }
        let mut contracts = std::mem::take(&mut self.contracts);
        for (contract, rows) in by_contract {
            let Some(plan) = contracts.iter_mut().find(|p| p.row_id == contract) else {
                for row in rows {
                    self.report.skip(
                        row.table,
                        row.id,
                        format!("cláusula del contrato {contract}"),
                        "su contrato no se importó",
                    );
                }
                continue;
            };
            let mut ids = Vec::new();
            let mut kept = Vec::new();
            for row in rows {
                let subject = format!("cláusula del contrato {}", plan.number);
                match row
                    .opt_int("clausula_id")
                    .ok()
                    .flatten()
                    .and_then(|c| self.catalog_ids.clauses.get(&c).copied())
                {
                    Some(id) if !ids.contains(&id) => {
                        ids.push(id);
                        kept.push(row);
                    }
                    Some(_) => self.report.skip(
                        row.table,
                        row.id,
                        &subject,
                        "la misma cláusula ya está en la lista del contrato",
                    ),
                    None => {
                        self.report
                            .skip(row.table, row.id, &subject, "su cláusula no se importó")
                    }
                }
            }
            let Some(first) = kept.first().copied() else {
                continue;
            };
            let command = ContratoCommand::RecordClauseChecklist {
                actor: self.admin.clone(),
                clause_ids: ids,
                expected_version: plan.stream.state.versions.of(ContratoPart::Clauses),
            };
            let user = first
                .opt_text("creado_por")
                .unwrap_or_else(|| self.admin.username.clone());
            let origin = Origin::of(first, Some("fecha_creacion"));
            match self.exec(&mut plan.stream, &user, command, &origin) {
                Ok(()) => {
                    for _ in &kept {
                        self.report.imported("gestion_clausulacontrato");
                    }
                }
                Err(e) => {
                    for row in kept {
                        self.refuse(row, &plan.number, &e);
                    }
                }
            }
        }
        self.contracts = contracts;
    }
}
