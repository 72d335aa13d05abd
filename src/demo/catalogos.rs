//! The demo's catalogs: the ten tipos de contrato of the old system, a few tipos de servicio,
//! fifteen clauses with the scopes where they are mandatory, and the checklists of the contracts
//! (some incomplete, so the «Cláusulas obligatorias faltantes» alert fires).

use uuid::Uuid;

use arriendo_events::{
    CatalogosCommand, ClauseData, ClauseScope, ContractKind, ContractTerms, ContratoCommand,
    TypeCatalog,
};

use super::{DemoError, Loader};

const CONTRACT_TYPES: &[&str] = &[
    "AIRE ACONDICIONADO",
    "ANTENAS",
    "ARRIENDO PLAZOLETA",
    "BODEGAS",
    "ESTACIONAMIENTO",
    "PUBLICIDAD",
    "STAND PRIMER PISO",
    "STAND SEGUNDO PISO",
    "STAND SÓTANO",
    "STAND TERCER PISO",
];

const SERVICE_TYPES: &[&str] = &[
    "Mantenimiento",
    "Seguridad",
    "Aseo",
    "Tecnología",
    "Jardinería",
];

/// (title, category).
const CLAUSES: &[(&str, &str)] = &[
    ("Cláusula de Cumplimiento", "Obligaciones"),
    ("Cláusula de Confidencialidad", "Información"),
    ("Cláusula de Protección de Datos Personales", "Información"),
    ("Cláusula SARLAFT", "Cumplimiento normativo"),
    ("Cláusula de Terminación Anticipada", "Terminación"),
    (
        "Cláusula de Penalización por Incumplimiento",
        "Obligaciones",
    ),
    ("Cláusula de Pólizas de Seguro", "Garantías"),
    ("Cláusula de Renovación", "Terminación"),
    ("Cláusula de Modificaciones", "General"),
    ("Cláusula de Solución de Controversias", "General"),
    ("Cláusula de Fuerza Mayor", "General"),
    ("Cláusula de Propiedad Intelectual", "Información"),
    ("Cláusula de Subcontratación", "Obligaciones"),
    ("Cláusula de Garantías", "Garantías"),
    ("Cláusula de Facturación y Pagos", "Pagos"),
];

/// The ids the demo contracts take their types and checklists from.
pub(super) struct DemoCatalog {
    contract_types: Vec<Uuid>,
    service_types: Vec<Uuid>,
    clauses: Vec<Uuid>,
    /// (scope, clause index) pairs still mandatory.
    mandatory: Vec<(ClauseScope, usize)>,
}

impl Loader<'_> {
    async fn catalogos(&self, step: &str, command: CatalogosCommand) -> Result<(), DemoError> {
        let result = self.app.commands.catalogos(command, self.meta()).await;
        Self::check(step.to_string(), result)
    }
}

/// Registers the catalogs, renames and deactivates a type, deactivates a clause, and sets (and
/// once removes) mandatory scopes.
pub(super) async fn seed(loader: &Loader<'_>) -> Result<DemoCatalog, DemoError> {
    let actor = loader.admin.clone();
    let ids = |names: &[&str]| names.iter().map(|_| loader.id()).collect::<Vec<_>>();
    let catalog = DemoCatalog {
        contract_types: ids(CONTRACT_TYPES),
        service_types: ids(SERVICE_TYPES),
        clauses: ids(&CLAUSES.iter().map(|(t, _)| *t).collect::<Vec<_>>()),
        mandatory: vec![],
    };
    for (which, names, type_ids) in [
        (
            TypeCatalog::Contrato,
            CONTRACT_TYPES,
            &catalog.contract_types,
        ),
        (TypeCatalog::Servicio, SERVICE_TYPES, &catalog.service_types),
    ] {
        for (name, id) in names.iter().zip(type_ids) {
            let command = CatalogosCommand::RegisterType {
                actor: actor.clone(),
                id: *id,
                catalog: which,
                name: (*name).to_string(),
            };
            loader.catalogos(&format!("tipo {name}"), command).await?;
        }
    }
    // A type renamed and then retired: old contracts would keep showing it.
    let retired = loader.id();
    loader
        .catalogos(
            "tipo retirado",
            CatalogosCommand::RegisterType {
                actor: actor.clone(),
                id: retired,
                catalog: TypeCatalog::Contrato,
                name: "ISLA TEMPORADA".into(),
            },
        )
        .await?;
    loader
        .catalogos(
            "tipo retirado (inactivo)",
            CatalogosCommand::UpdateType {
                actor: actor.clone(),
                id: retired,
                name: "Isla de temporada".into(),
                active: false,
                expected_version: loader
                    .app
                    .commands
                    .load_catalogos()
                    .await
                    .map_or(0, |c| c.find_type(retired).map_or(0, |t| t.version)),
            },
        )
        .await?;
    for (i, ((title, category), id)) in CLAUSES.iter().zip(&catalog.clauses).enumerate() {
        let command = CatalogosCommand::RegisterClause {
            actor: actor.clone(),
            id: *id,
            clause: ClauseData {
                title: (*title).to_string(),
                text: format!("Texto de referencia de la {}.", title.to_lowercase()),
                category: (*category).to_string(),
                order: u32::try_from(i + 1).unwrap_or(0),
                active: true,
            },
        };
        loader
            .catalogos(&format!("cláusula {title}"), command)
            .await?;
    }
    // The old system's seeded clause that was deactivated.
    let intellectual = catalog.clauses[11];
    let version = loader.app.commands.load_catalogos().await.map_or(0, |c| {
        c.find_clause(intellectual).map_or(0, |cl| cl.version)
    });
    loader
        .catalogos(
            "cláusula inactiva",
            CatalogosCommand::UpdateClause {
                actor: actor.clone(),
                id: intellectual,
                clause: ClauseData {
                    title: CLAUSES[11].0.into(),
                    text: String::new(),
                    category: CLAUSES[11].1.into(),
                    order: 12,
                    active: false,
                },
                expected_version: version,
            },
        )
        .await?;
    let mut catalog = catalog;
    let scopes = [
        (ClauseScope::AllClient, 0),
        (ClauseScope::AllClient, 3),
        (ClauseScope::AllClient, 6),
        (ClauseScope::AllClient, 14),
        (ClauseScope::ContractType(catalog.contract_types[1]), 10),
        (ClauseScope::ContractType(catalog.contract_types[1]), 4),
        (ClauseScope::ContractType(catalog.contract_types[6]), 13),
        (ClauseScope::AllSupplier, 1),
        (ClauseScope::AllSupplier, 3),
        (ClauseScope::ServiceType(catalog.service_types[0]), 12),
        (ClauseScope::ServiceType(catalog.service_types[1]), 5),
        // Mandatory, then no longer: recorded and removed.
        (ClauseScope::AllClient, 9),
    ];
    for (scope, clause) in scopes {
        let command = CatalogosCommand::SetMandatory {
            actor: actor.clone(),
            clause_id: catalog.clauses[clause],
            scope,
            mandatory: true,
        };
        loader.catalogos("cláusula obligatoria", command).await?;
        catalog.mandatory.push((scope, clause));
    }
    let (scope, clause) = (ClauseScope::AllClient, 9);
    loader
        .catalogos(
            "cláusula ya no obligatoria",
            CatalogosCommand::SetMandatory {
                actor,
                clause_id: catalog.clauses[clause],
                scope,
                mandatory: false,
            },
        )
        .await?;
    catalog.mandatory.retain(|m| *m != (scope, clause));
    Ok(catalog)
}

impl DemoCatalog {
    /// The type of demo contract `i`.
    pub(super) fn type_for(&self, i: usize, kind: ContractKind) -> Option<Uuid> {
        let list = match kind {
            ContractKind::Cliente => &self.contract_types,
            ContractKind::Proveedor => &self.service_types,
        };
        (i % 8 != 7).then(|| list[i % list.len()])
    }

    /// The mandatory clauses of a contract, by index.
    fn mandatory_of(&self, terms: &ContractTerms) -> Vec<usize> {
        self.mandatory
            .iter()
            .filter(|(scope, _)| scope.covers(terms.kind, terms.type_id))
            .map(|(_, c)| *c)
            .collect()
    }

    /// The checklist of contract `i`: most have every mandatory clause and two more; every fifth
    /// lacks one; every seventh was never recorded; the first is recorded twice (a history).
    pub(super) async fn record(
        &self,
        loader: &Loader<'_>,
        i: usize,
        id: Uuid,
        terms: &ContractTerms,
    ) -> Result<(), DemoError> {
        if i % 7 == 6 {
            return Ok(());
        }
        let mut clauses: Vec<usize> = self.mandatory_of(terms);
        for extra in [8, 10] {
            if !clauses.contains(&extra) {
                clauses.push(extra);
            }
        }
        let lists = if i == 0 {
            vec![clauses[1..].to_vec(), clauses.clone()]
        } else if i % 5 == 2 {
            vec![clauses[1..].to_vec()]
        } else {
            vec![clauses]
        };
        for list in lists {
            let command = ContratoCommand::RecordClauseChecklist {
                actor: loader.admin.clone(),
                clause_ids: list.iter().map(|c| self.clauses[*c]).collect(),
                expected_version: 0,
            };
            loader.contrato(id, "lista de cláusulas", command).await?;
        }
        Ok(())
    }
}
