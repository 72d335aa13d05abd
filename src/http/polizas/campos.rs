//! The póliza form's fields and how they become a `PolizaData`, with the errors beside each field.

use std::str::FromStr;

use arriendo_events::{
    CumplimientoCover, DateRange, Money, OtroSiNumber, PolizaData, RceSublimits, RenewalNumber,
    RequiredBy,
};
use arriendo_views::components::FormErrors;
use arriendo_views::pages::poliza_form::{
    COVER_FIELDS, PolizaForm, RCE_FIELDS, kind_from_slug, state_from_slug,
};
use serde::Deserialize;

use crate::http::respuestas::{optional, parse_date, required};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PolizaFields {
    tipo: String,
    tipo_otra: String,
    numero: String,
    aseguradora: String,
    valor_asegurado: String,
    rce_predios: String,
    rce_patronal: String,
    rce_medicos: String,
    rce_vehiculos: String,
    rce_contratistas: String,
    rce_extrapatrimoniales: String,
    rce_lucro: String,
    cum_canon: String,
    cum_servicios: String,
    cum_iva: String,
    cum_administracion: String,
    vigencia_desde: String,
    vigencia_hasta: String,
    estado: String,
    exigida_por: String,
    colchon: String,
    /// The póliza's version the edit form showed.
    pub(super) version: String,
}

impl PolizaFields {
    fn rce(&self) -> [String; 7] {
        [
            self.rce_predios.clone(),
            self.rce_patronal.clone(),
            self.rce_medicos.clone(),
            self.rce_vehiculos.clone(),
            self.rce_contratistas.clone(),
            self.rce_extrapatrimoniales.clone(),
            self.rce_lucro.clone(),
        ]
    }

    fn cover(&self) -> [String; 4] {
        [
            self.cum_canon.clone(),
            self.cum_servicios.clone(),
            self.cum_iva.clone(),
            self.cum_administracion.clone(),
        ]
    }

    pub(super) fn form(&self, errors: FormErrors) -> PolizaForm {
        PolizaForm {
            tipo: self.tipo.clone(),
            tipo_otra: self.tipo_otra.clone(),
            numero: self.numero.clone(),
            aseguradora: self.aseguradora.clone(),
            valor_asegurado: self.valor_asegurado.clone(),
            rce: self.rce(),
            cobertura: self.cover(),
            vigencia_desde: self.vigencia_desde.clone(),
            vigencia_hasta: self.vigencia_hasta.clone(),
            estado: self.estado.clone(),
            exigida_por: self.exigida_por.clone(),
            colchon: self.colchon.clone(),
            errors,
            version: self.version.clone(),
            current: None,
        }
    }

    pub(super) fn parse(&self) -> Result<PolizaData, FormErrors> {
        let mut e = FormErrors::new();
        let kind = kind_from_slug(&self.tipo, &self.tipo_otra);
        if kind.is_none() {
            if self.tipo == "otra" {
                e.add("tipo_otra", "Indique el nombre del tipo de póliza.");
            } else {
                e.add("tipo", "Elija el tipo de póliza.");
            }
        }
        if self.numero.trim().is_empty() {
            e.add("numero", "Indique el número de la póliza.");
        }
        if self.aseguradora.trim().is_empty() {
            e.add("aseguradora", "Indique la aseguradora.");
        }
        let insured = required(
            &mut e,
            "valor_asegurado",
            "el valor asegurado",
            &self.valor_asegurado,
            Money::parse,
        );
        let money =
            |e: &mut FormErrors, field: &str, text: &str| optional(e, field, text, Money::parse);
        let rce_values = self.rce();
        let rce: Vec<Option<Money>> = RCE_FIELDS
            .iter()
            .zip(rce_values.iter())
            .map(|(field, text)| money(&mut e, field, text))
            .collect();
        let cover_values = self.cover();
        let cover: Vec<Option<Money>> = COVER_FIELDS
            .iter()
            .zip(cover_values.iter())
            .map(|(field, text)| money(&mut e, field, text))
            .collect();
        let from = required(
            &mut e,
            "vigencia_desde",
            "la fecha de inicio",
            &self.vigencia_desde,
            parse_date,
        );
        let to = required(
            &mut e,
            "vigencia_hasta",
            "la fecha final",
            &self.vigencia_hasta,
            parse_date,
        );
        let validity = match (from, to) {
            (Some(from), Some(to)) => match DateRange::new(from, to) {
                Ok(v) => Some(v),
                Err(err) => {
                    e.add(
                        "vigencia_hasta",
                        crate::http::respuestas::sentence(&err.to_string()),
                    );
                    None
                }
            },
            _ => None,
        };
        let state = if self.estado.is_empty() {
            state_from_slug("aporte_inicial")
        } else {
            state_from_slug(&self.estado)
        };
        if state.is_none() {
            e.add("estado", "Elija el estado de la póliza.");
        }
        let required_by = parse_required_by(&self.exigida_por);
        if required_by.is_none() {
            e.add("exigida_por", "Elija el documento que exige la póliza.");
        }
        let colchon = if self.colchon.trim().is_empty() {
            Some(0)
        } else {
            self.colchon.trim().parse::<u32>().ok().filter(|m| *m <= 24)
        };
        if colchon.is_none() {
            e.add(
                "colchon",
                "El colchón debe ser un número de meses entre 0 y 24.",
            );
        }
        let rce_sublimits = rce.iter().any(Option::is_some).then(|| RceSublimits {
            premises_operations: rce[0],
            employer_liability: rce[1],
            medical_expenses: rce[2],
            vehicles: rce[3],
            contractors: rce[4],
            non_material_damages: rce[5],
            lost_profit: rce[6],
        });
        let cumplimiento_cover = cover
            .iter()
            .any(Option::is_some)
            .then(|| CumplimientoCover {
                rent: cover[0],
                utilities: cover[1],
                vat: cover[2],
                admin_fee: cover[3],
            });
        match (kind, insured, validity, state, required_by, colchon) {
            (
                Some(kind),
                Some(insured_value),
                Some(validity),
                Some(state),
                Some(required_by),
                Some(colchon_months),
            ) if e.is_empty() => Ok(PolizaData {
                kind,
                number: self.numero.trim().to_string(),
                insurer: self.aseguradora.trim().to_string(),
                insured_value,
                rce_sublimits,
                cumplimiento_cover,
                validity,
                state,
                required_by,
                colchon_months,
            }),
            _ => Err(e),
        }
    }
}

fn parse_required_by(text: &str) -> Option<RequiredBy> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("contrato") {
        return Some(RequiredBy::Contract);
    }
    if t.to_uppercase().starts_with("OS-") {
        return OtroSiNumber::from_str(t).ok().map(RequiredBy::OtroSi);
    }
    if t.to_uppercase().starts_with("RA-") {
        return RenewalNumber::from_str(t).ok().map(RequiredBy::Renovacion);
    }
    None
}
