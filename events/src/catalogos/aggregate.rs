use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::data::{ClauseData, ClauseScope, TypeCatalog, check_type_name, name_key};
use super::{CatalogosCommand, CatalogosEvent};
use crate::DomainError;
use crate::catalog::aggregate_via_decide;
use crate::contrato::ContractKind;

/// A tipo de contrato or tipo de servicio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeEntry {
    pub id: Uuid,
    pub catalog: TypeCatalog,
    pub name: String,
    pub active: bool,
    /// Sequence of the last event that changed it: what an edit must carry.
    pub version: u64,
}

/// A clause of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub id: Uuid,
    pub data: ClauseData,
    pub version: u64,
}

/// The state of the catalogs' stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalogos {
    pub types: Vec<TypeEntry>,
    pub clauses: Vec<Clause>,
    /// (clause, scope) pairs where the clause is mandatory, in the order they were set.
    pub mandatory: Vec<(Uuid, ClauseScope)>,
    /// Number of events applied.
    #[serde(default)]
    pub version: u64,
}

impl Catalogos {
    pub fn find_type(&self, id: Uuid) -> Option<&TypeEntry> {
        self.types.iter().find(|t| t.id == id)
    }

    pub fn find_clause(&self, id: Uuid) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The types of one catalog, by name.
    pub fn types_of(&self, catalog: TypeCatalog) -> Vec<&TypeEntry> {
        let mut types: Vec<&TypeEntry> =
            self.types.iter().filter(|t| t.catalog == catalog).collect();
        types.sort_by_key(|t| name_key(&t.name));
        types
    }

    /// Clauses in their order (then title).
    pub fn clauses_in_order(&self) -> Vec<&Clause> {
        let mut clauses: Vec<&Clause> = self.clauses.iter().collect();
        clauses.sort_by_key(|c| (c.data.order, name_key(&c.data.title)));
        clauses
    }

    /// The scopes where `clause_id` is mandatory.
    pub fn scopes_of(&self, clause_id: Uuid) -> Vec<ClauseScope> {
        self.mandatory
            .iter()
            .filter(|(c, _)| *c == clause_id)
            .map(|(_, s)| *s)
            .collect()
    }

    /// The active clauses mandatory for a contract of `kind` and type `type_id`: those of the
    /// "all" scope of its kind plus those of its own type, in order.
    pub fn mandatory_for(&self, kind: ContractKind, type_id: Option<Uuid>) -> Vec<&Clause> {
        self.clauses_in_order()
            .into_iter()
            .filter(|c| c.data.active)
            .filter(|c| {
                self.mandatory
                    .iter()
                    .any(|(id, scope)| *id == c.id && scope.covers(kind, type_id))
            })
            .collect()
    }

    /// No event leaves with a value out of its range.
    pub fn decide(&self, command: CatalogosCommand) -> Result<Vec<CatalogosEvent>, DomainError> {
        command.actor().require_admin("modificar los catálogos")?;
        let events = self.decide_rules(command)?;
        events.iter().try_for_each(CatalogosEvent::check_bounds)?;
        Ok(events)
    }

    fn decide_rules(&self, command: CatalogosCommand) -> Result<Vec<CatalogosEvent>, DomainError> {
        use CatalogosCommand::*;
        match command {
            RegisterType {
                id, catalog, name, ..
            } => {
                if self.find_type(id).is_some() {
                    return Err(DomainError::CatalogEntryExists);
                }
                let name = name.trim().to_string();
                check_type_name(&name)?;
                self.name_free(catalog, &name, None)?;
                Ok(vec![CatalogosEvent::TypeRegistered { id, catalog, name }])
            }
            UpdateType {
                id,
                name,
                active,
                expected_version,
                ..
            } => {
                let current = self.find_type(id).ok_or(DomainError::TypeNotFound)?;
                if current.version != expected_version {
                    return Err(DomainError::CatalogEntryChanged(current.name.clone()));
                }
                let name = name.trim().to_string();
                check_type_name(&name)?;
                self.name_free(current.catalog, &name, Some(id))?;
                if current.name == name && current.active == active {
                    return Ok(vec![]);
                }
                Ok(vec![CatalogosEvent::TypeUpdated { id, name, active }])
            }
            RegisterClause { id, clause, .. } => {
                if self.find_clause(id).is_some() {
                    return Err(DomainError::CatalogEntryExists);
                }
                let clause = trimmed(clause);
                clause.validate()?;
                self.title_free(&clause.title, None)?;
                Ok(vec![CatalogosEvent::ClauseRegistered { id, clause }])
            }
            UpdateClause {
                id,
                clause,
                expected_version,
                ..
            } => {
                let current = self.find_clause(id).ok_or(DomainError::ClauseNotFound)?;
                if current.version != expected_version {
                    return Err(DomainError::CatalogEntryChanged(current.data.title.clone()));
                }
                let clause = trimmed(clause);
                clause.validate()?;
                self.title_free(&clause.title, Some(id))?;
                if current.data == clause {
                    return Ok(vec![]);
                }
                Ok(vec![CatalogosEvent::ClauseUpdated { id, clause }])
            }
            SetMandatory {
                clause_id,
                scope,
                mandatory,
                ..
            } => {
                self.find_clause(clause_id)
                    .ok_or(DomainError::ClauseNotFound)?;
                if let Some((catalog, type_id)) = scope.type_ref()
                    && self.find_type(type_id).is_none_or(|t| t.catalog != catalog)
                {
                    return Err(DomainError::ScopeTypeNotFound(catalog.label()));
                }
                let already = self.mandatory.contains(&(clause_id, scope));
                Ok(match (mandatory, already) {
                    (true, false) => {
                        vec![CatalogosEvent::MandatoryClauseAdded { clause_id, scope }]
                    }
                    (false, true) => {
                        vec![CatalogosEvent::MandatoryClauseRemoved { clause_id, scope }]
                    }
                    _ => vec![],
                })
            }
        }
    }

    fn name_free(
        &self,
        catalog: TypeCatalog,
        name: &str,
        except: Option<Uuid>,
    ) -> Result<(), DomainError> {
        let key = name_key(name);
        match self
            .types
            .iter()
            .find(|t| t.catalog == catalog && Some(t.id) != except && name_key(&t.name) == key)
        {
            Some(other) => Err(DomainError::CatalogNameTaken {
                what: match catalog {
                    TypeCatalog::Contrato => "un tipo de contrato llamado",
                    TypeCatalog::Servicio => "un tipo de servicio llamado",
                },
                name: other.name.clone(),
            }),
            None => Ok(()),
        }
    }

    fn title_free(&self, title: &str, except: Option<Uuid>) -> Result<(), DomainError> {
        let key = name_key(title);
        match self
            .clauses
            .iter()
            .find(|c| Some(c.id) != except && name_key(&c.data.title) == key)
        {
            Some(other) => Err(DomainError::CatalogNameTaken {
                what: "una cláusula llamada",
                name: other.data.title.clone(),
            }),
            None => Ok(()),
        }
    }

    pub fn apply_event(&mut self, event: CatalogosEvent) {
        self.version = self.version.saturating_add(1);
        let version = self.version;
        match event {
            CatalogosEvent::TypeRegistered { id, catalog, name } => self.types.push(TypeEntry {
                id,
                catalog,
                name,
                active: true,
                version,
            }),
            CatalogosEvent::TypeUpdated { id, name, active } => {
                if let Some(t) = self.types.iter_mut().find(|t| t.id == id) {
                    t.name = name;
                    t.active = active;
                    t.version = version;
                }
            }
            CatalogosEvent::ClauseRegistered { id, clause } => self.clauses.push(Clause {
                id,
                data: clause,
                version,
            }),
            CatalogosEvent::ClauseUpdated { id, clause } => {
                if let Some(c) = self.clauses.iter_mut().find(|c| c.id == id) {
                    c.data = clause;
                    c.version = version;
                }
            }
            CatalogosEvent::MandatoryClauseAdded { clause_id, scope } => {
                self.mandatory.push((clause_id, scope))
            }
            CatalogosEvent::MandatoryClauseRemoved { clause_id, scope } => {
                self.mandatory.retain(|pair| *pair != (clause_id, scope))
            }
        }
    }
}

fn trimmed(clause: ClauseData) -> ClauseData {
    ClauseData {
        title: clause.title.trim().to_string(),
        text: clause.text.trim().to_string(),
        category: clause.category.trim().to_string(),
        ..clause
    }
}

aggregate_via_decide!(Catalogos, "catalogos", CatalogosCommand, CatalogosEvent);
