//! From what people type to domain values and back: the contract form ([`ContractTerms`]) and the
//! Otro Sí form ([`OtroSiChanges`]). Every message goes beside its field. This module holds what
//! every form shares (which field a refusal belongs beside, whole numbers, ids); `terms` reads the
//! contract form, `back` fills a form from recorded terms, `otrosi` does both for an Otro Sí.
//!
//! [`ContractTerms`]: arriendo_events::ContractTerms
//! [`OtroSiChanges`]: arriendo_events::OtroSiChanges

mod back;
mod otrosi;
mod terms;
#[cfg(test)]
mod tests;

pub use back::form_from_terms;
use back::{iso, money_text, put_adjustment, put_policies};
pub use otrosi::{OtroSiInput, form_from_otrosi, otrosi_from_form};
use terms::{adjustment, policies};
pub use terms::{contract_form, terms_from_form};

use arriendo_events::{
    AdjustmentDate, AdjustmentIndex, AdjustmentRule, ContractKind, ContractTerms,
    CumplimientoCover, DateRange, DomainError, GracePeriod, Money, OtroSi, OtroSiChanges,
    PaymentModality, Percentage, PolicyKind, PolicyRequirement, RceSublimits, end_from_duration,
};
use arriendo_views::components::FormErrors;
use arriendo_views::format;
use arriendo_views::pages::form_values::{
    FormValues, POLICY_KINDS, cover_names, has_cover, has_sublimits, policy_names,
    rce_sublimit_names,
};
use chrono::NaiveDate;
use uuid::Uuid;

use super::reglas::{Pieces, add_once, between_fields};
use crate::http::respuestas::{optional, parse_date, required, sentence};

/// The field a domain refusal belongs beside (`""`: the whole form).
pub fn field_for(e: &DomainError) -> &'static str {
    match e {
        DomainError::ZeroCanon => "canon",
        DomainError::ZeroSalesPercentage => "porcentaje",
        DomainError::SalesReportDueDayRequired | DomainError::InvalidSalesReportDueDay => {
            "dia_informe"
        }
        DomainError::EndNotAfterStart | DomainError::OtroSiEndBeforeStart => "fecha_fin",
        DomainError::ZeroDuration => "duracion_meses",
        DomainError::GracePeriodOutsideContract => "gracia_desde",
        DomainError::InvalidAdjustmentDate { .. } => "ajuste_dia",
        DomainError::Required("objeto") => "objeto",
        DomainError::Required("número de contrato") | DomainError::ContractAlreadyExists(_) => {
            "numero"
        }
        DomainError::Required("condición del periodo de gracia") => "gracia_condicion",
        DomainError::OtroSiBeforeContractStart => "vigencia_desde",
        DomainError::OtroSiCanonWithVariable => "modalidad",
        DomainError::TerceroNotFound => "tercero",
        DomainError::LocalNotFound => "local",
        _ => e.field().map_or("", input_named),
    }
}

/// The input of the contract and Otro Sí forms for a field the domain names in Spanish
/// (bounds: too long, out of range, control characters).
pub(super) fn input_named(label: &str) -> &'static str {
    match label {
        "número de contrato" => "numero",
        "objeto" => "objeto",
        "fecha de firma" => "fecha_firma",
        "fecha de inicio" => "fecha_inicio",
        "fecha final" => "fecha_fin",
        "duración en meses" => "duracion_meses",
        "preaviso" => "preaviso_dias",
        "aviso de terminación anticipada" => "terminacion_dias",
        "canon" => "canon",
        "mínimo garantizado" => "minimo",
        "periodo de gracia" => "gracia_desde",
        "canon del periodo de gracia" => "gracia_canon",
        "condición del periodo de gracia" => "gracia_condicion",
        "cláusula penal" => "clausula_penal",
        "interés de mora" => "interes_mora",
        "enlace al documento firmado" => "documento_url",
        "vigencia desde" => "vigencia_desde",
        "vigencia hasta" => "vigencia_hasta",
        "descripción" => "descripcion",
        _ => "",
    }
}

/// Adds a domain refusal beside its field.
pub fn add_refusal(errors: &mut FormErrors, e: &DomainError) {
    errors.add(field_for(e), sentence(&e.to_string()));
}

pub(super) fn whole(text: &str) -> Result<u32, DomainError> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| DomainError::InvalidMoney(text.to_string()))
}

pub(super) fn number_field(
    errors: &mut FormErrors,
    field: &str,
    text: &str,
    message: &str,
) -> Option<Option<u32>> {
    if text.is_empty() {
        return Some(None);
    }
    match text.parse::<u32>() {
        Ok(n) => Some(Some(n)),
        Err(_) => {
            errors.add(field, message);
            None
        }
    }
}

pub(super) fn uuid_of(text: &str) -> Result<Uuid, DomainError> {
    Uuid::parse_str(text).map_err(|_| DomainError::Required("tercero"))
}
