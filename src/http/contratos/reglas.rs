//! The rules a contract form checks across fields and across contracts, all in one round: every
//! mistake goes beside its field at once, so a form with five mistakes shows five messages.

use arriendo_events::{
    ContractKind, Contradiction, Contrato, DateRange, DomainError, GracePeriod, PaymentModality,
    TypeCatalog, date_contradictions, first_overlap, tercero_contradiction,
};
use arriendo_projections::occupancy::lease_term;
use arriendo_views::components::FormErrors;
use chrono::NaiveDate;
use uuid::Uuid;

use super::form::field_for;
use crate::app::App;
use crate::http::respuestas::sentence;
use crate::queries;
use crate::store::StoreError;

/// Adds `message` beside `field` unless that field already shows one (one message per field:
/// the first problem found is the one to fix).
pub fn add_once(errors: &mut FormErrors, field: &str, message: String) {
    if errors.get(field).is_none() {
        errors.add(field, sentence(&message));
    }
}

fn refuse(errors: &mut FormErrors, e: &DomainError) {
    add_once(errors, field_for(e), e.to_string());
}

/// What the contract form says once parsed: the pieces that parsed, for the checks that need only
/// some of them.
#[derive(Debug, Clone, Default)]
pub struct Pieces {
    pub number: String,
    pub kind: Option<ContractKind>,
    pub tercero: Option<Uuid>,
    pub local: Option<Uuid>,
    /// The tipo de contrato or de servicio chosen.
    pub type_id: Option<Uuid>,
    pub signing: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub duration: Option<u32>,
    pub end: Option<NaiveDate>,
    /// The end computed from start + duration because the end was left blank.
    pub computed_end: Option<NaiveDate>,
}

/// Every rule between fields the parsed pieces break, each beside its field.
pub fn between_fields(
    p: &Pieces,
    modality: Option<&PaymentModality>,
    due_day: Option<u32>,
    grace: Option<&GracePeriod>,
    errors: &mut FormErrors,
) {
    for c in date_contradictions(p.signing, p.start, p.duration, p.end) {
        add_once(errors, c.field(), c.to_string());
    }
    let validity = match (p.start, p.end) {
        (Some(start), Some(end)) => match DateRange::new(start, end) {
            Ok(range) => Some(range),
            Err(e) => {
                refuse(errors, &e);
                None
            }
        },
        _ => None,
    };
    if p.duration == Some(0) {
        refuse(errors, &DomainError::ZeroDuration);
    }
    if let Some(m) = modality {
        if let Err(e) = m.validate() {
            refuse(errors, &e);
        }
        match due_day {
            Some(day) if !(1..=28).contains(&day) => {
                refuse(errors, &DomainError::InvalidSalesReportDueDay);
            }
            None if m.is_sales_based() => refuse(errors, &DomainError::SalesReportDueDayRequired),
            _ => {}
        }
    }
    if let (Some(g), Some(validity)) = (grace, validity)
        && !g.period.within(&validity)
    {
        refuse(errors, &DomainError::GracePeriodOutsideContract);
    }
}

/// The contracts on `local` other than `own_id`, as the read models have them.
async fn neighbours(app: &App, local: Uuid, own_id: &str) -> Result<Vec<Contrato>, StoreError> {
    queries::contratos::contracts_on_local(&app.db, &local.to_string(), own_id).await
}

/// Double leasing: the first other contract on `local` whose term shares a day with `term`.
pub async fn double_leasing(
    app: &App,
    local: Uuid,
    term: (NaiveDate, NaiveDate),
    own_id: &str,
) -> Result<Option<Contradiction>, StoreError> {
    let others = neighbours(app, local, own_id).await?;
    let terms: Vec<(String, (NaiveDate, NaiveDate))> = others
        .iter()
        .filter_map(|c| Some((c.number().to_string(), lease_term(c)?)))
        .collect();
    Ok(
        first_overlap(term, terms.iter().map(|(n, t)| (n.as_str(), *t)))
            .map(|overlap| Contradiction::DoubleLeasing { overlap }),
    )
}

/// The checks against other aggregates: the number is free, the tercero is of the contract's
/// class, the local is not leased on those days. Each runs when its pieces parsed.
pub async fn against_read_models(
    app: &App,
    p: &Pieces,
    own_id: &str,
    errors: &mut FormErrors,
) -> Result<(), StoreError> {
    // Only a number within bounds reaches the database (PostgreSQL refuses a NUL in text).
    let queryable = arriendo_events::bounds::check_line("número de contrato", &p.number).is_ok();
    if !p.number.is_empty()
        && queryable
        && queries::contratos::number_taken(&app.db, &p.number, own_id).await?
    {
        add_once(
            errors,
            "numero",
            format!("Ya existe un contrato con el número {}.", p.number),
        );
    }
    if let (Some(kind), Some(tercero)) = (p.kind, p.tercero) {
        match queries::catalogos::tercero(&app.db, &tercero.to_string()).await? {
            Some(t) => {
                if let Some(c) = t.data.and_then(|d| tercero_contradiction(kind, d.kind)) {
                    add_once(errors, c.field(), c.to_string());
                }
            }
            None => refuse(errors, &DomainError::TerceroNotFound),
        }
    }
    if let (Some(kind), Some(type_id)) = (p.kind, p.type_id) {
        type_of_kind(app, kind, type_id, own_id, errors).await?;
    }
    if let (Some(local), Some(start), Some(end)) = (p.local, p.start, p.end)
        && end > start
        && let Some(c) = double_leasing(app, local, (start, end), own_id).await?
    {
        add_once(errors, c.field(), c.to_string());
    }
    Ok(())
}

/// The type names an entry of the catalog of the contract's class, active unless the contract
/// already had it (an inactive type stays on the contracts that have it).
async fn type_of_kind(
    app: &App,
    kind: ContractKind,
    type_id: Uuid,
    own_id: &str,
    errors: &mut FormErrors,
) -> Result<(), StoreError> {
    let catalog = queries::clausulas::catalog(&app.db).await?;
    let Some(entry) = catalog.find_type(type_id) else {
        add_once(
            errors,
            "tipo",
            "El tipo elegido no existe en el catálogo.".into(),
        );
        return Ok(());
    };
    let wanted = TypeCatalog::of(kind);
    if entry.catalog != wanted {
        let class = match kind {
            ContractKind::Cliente => "de cliente",
            ContractKind::Proveedor => "de proveedor",
        };
        add_once(
            errors,
            "tipo",
            format!(
                "«{}» es un {}: un contrato {class} lleva un {}.",
                entry.name,
                entry.catalog.label(),
                wanted.label()
            ),
        );
        return Ok(());
    }
    if !entry.active {
        let had_it = !own_id.is_empty()
            && queries::contract_state(&app.db, own_id)
                .await?
                .and_then(|c| c.terms)
                .is_some_and(|t| t.type_id == Some(type_id));
        if !had_it {
            add_once(
                errors,
                "tipo",
                format!("El tipo «{}» está inactivo: elija otro.", entry.name),
            );
        }
    }
    Ok(())
}
