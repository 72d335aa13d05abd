//! The «pólizas requeridas no aportadas» alert of both systems on the import date. The old system
//! (trap 6) takes, per family, the latest approved Otro Sí or renewal in force with a value (else
//! the contract), requires cover until its own dates (months counted from the start, or from the
//! contract's original end for a document without dates) and accepts only pólizas linked to that
//! document, comparing dates alone. Arriendo requires cover until the end in force plus the months
//! and the insured values.

use chrono::NaiveDate;

use arriendo_events::{Contrato, add_months, format_date};

use super::compare::{approved, from, rows_of};
use super::convert;
use super::plan::contract::{FAMILIES, family_kind};
use super::source::{Row, Source};

/// The old system's required families: (kind, document label, required until, covered).
fn source_required(
    src: &Source,
    contract: &Row,
    day: NaiveDate,
) -> Vec<(String, String, NaiveDate, bool)> {
    let mut docs: Vec<&Row> = rows_of(src, "gestion_otrosi", contract.id);
    docs.extend(rows_of(src, "gestion_renovacionautomatica", contract.id));
    docs.retain(|r| {
        approved(r)
            && from(r).is_some_and(|f| f <= day)
            && r.opt_date("effective_to")
                .ok()
                .flatten()
                .is_none_or(|t| day <= t)
    });
    docs.sort_by_key(|r| (from(r), r.id));
    let other = contract
        .opt_text("nombre_poliza_otra_1")
        .unwrap_or_else(|| "Otra".into());
    let start = contract.opt_date("fecha_inicial_contrato").ok().flatten();
    let original_end = contract
        .opt_date("fecha_final_actualizada")
        .ok()
        .flatten()
        .or_else(|| contract.opt_date("fecha_final_inicial").ok().flatten());
    let polizas = rows_of(src, "gestion_poliza", contract.id);
    let mut out = vec![];
    for (family, _) in FAMILIES {
        let column = format!("nuevo_exige_poliza_{family}");
        let doc = docs
            .iter()
            .rev()
            .find(|r| r.opt_flag(&column).ok().flatten().is_some())
            .copied();
        let (required, prefix, base, label) = match doc {
            Some(d) => (
                d.opt_flag(&column).ok().flatten() == Some(true),
                "nuevo_",
                original_end,
                d.opt_text("numero_otrosi")
                    .or_else(|| d.opt_text("numero_renovacion"))
                    .unwrap_or_default(),
            ),
            None => (
                contract
                    .flag(&format!("exige_poliza_{family}"))
                    .unwrap_or(false),
                "",
                start,
                "contrato".to_string(),
            ),
        };
        if !required {
            continue;
        }
        let holder = doc.unwrap_or(contract);
        let months = holder
            .opt_int(&format!("{prefix}meses_vigencia_{family}"))
            .ok()
            .flatten()
            .unwrap_or(0);
        let Some(until) = holder
            .opt_date(&format!("{prefix}fecha_fin_vigencia_{family}"))
            .ok()
            .flatten()
            .or_else(|| base.map(|b| add_months(b, i32::try_from(months).unwrap_or(0))))
        else {
            continue;
        };
        let kind = family_kind(family, &other);
        let linked = |p: &Row| match doc {
            None => {
                p.opt_int("otrosi_id").ok().flatten().is_none()
                    && p.opt_int("renovacion_automatica_id")
                        .ok()
                        .flatten()
                        .is_none()
            }
            Some(d) if d.table == "gestion_otrosi" => {
                p.opt_int("otrosi_id").ok().flatten() == Some(d.id)
            }
            Some(d) => p.opt_int("renovacion_automatica_id").ok().flatten() == Some(d.id),
        };
        let covered = polizas.iter().any(|p| {
            let expiry = if p.flag("tiene_colchon").unwrap_or(false) {
                p.opt_date("fecha_vencimiento_real").ok().flatten()
            } else {
                None
            }
            .or_else(|| p.opt_date("fecha_vencimiento").ok().flatten());
            linked(p)
                && convert::poliza_kind(&p.opt_text("tipo").unwrap_or_default(), &other).as_ref()
                    == Some(&kind)
                && expiry.is_some_and(|e| e >= until)
        });
        out.push((kind.to_string(), label, until, covered));
    }
    out
}

/// Differences of the alert: (aspect, source, arriendo, why).
pub fn differences(
    src: &Source,
    contract: &Row,
    state: &Contrato,
    day: NaiveDate,
    source_in_force: bool,
) -> Vec<(String, String, String, String)> {
    use arriendo_projections::alerts::raises_alerts;
    use arriendo_projections::polizas::missing_policies;
    let own = if raises_alerts(state, day) {
        missing_policies(state, day)
    } else {
        vec![]
    };
    let required = source_required(src, contract, day);
    let theirs: Vec<(String, String, NaiveDate)> =
        if source_in_force && contract.flag("vigente").unwrap_or(false) {
            required
                .iter()
                .filter(|r| !r.3)
                .map(|(k, l, d, _)| (k.clone(), l.clone(), *d))
                .collect()
        } else {
            vec![]
        };
    let required_now: Vec<String> = state
        .required_policies_in_force(day)
        .unwrap_or_default()
        .iter()
        .map(|r| r.kind.to_string())
        .collect();
    let mut out = vec![];
    for m in &own {
        let kind = m.kind.to_string();
        if theirs.iter().any(|(k, _, _)| *k == kind) {
            continue;
        }
        let until = required.iter().find(|r| r.0 == kind).map(|r| r.2);
        let why = match until {
            None => "el sistema anterior ya no exige esta póliza (un Otro Sí o renovación la desmarcó) o no alerta sobre este contrato; Arriendo sí la exige".to_string(),
            Some(until) if m.required_until.value > until => format!(
                "Arriendo exige cubrir hasta el {} (fin del contrato más meses); el sistema anterior hasta el {} (meses desde el inicio) y esa fecha está cubierta",
                format_date(m.required_until.value),
                format_date(until)
            ),
            Some(_) if !m.reasons.is_empty() => format!(
                "Arriendo también exige el valor asegurado y los sublímites ({}); el sistema anterior solo compara fechas",
                m.reasons.join("; ")
            ),
            Some(_) => "sin explicar".to_string(),
        };
        out.push((
            "alerta Pólizas requeridas no aportadas".to_string(),
            "no".into(),
            format!("sí ({kind})"),
            why,
        ));
    }
    for (kind, label, until) in &theirs {
        if own.iter().any(|m| m.kind.to_string() == *kind) {
            continue;
        }
        let why = if !required_now.contains(kind) {
            "Arriendo no exige esta póliza hoy (ver «pólizas requeridas» de este contrato)"
                .to_string()
        } else if !raises_alerts(state, day) {
            "Arriendo no alerta sobre este contrato (terminado o vencido sin prórroga automática)"
                .to_string()
        } else {
            "sin explicar".to_string()
        };
        out.push((
            "alerta Pólizas requeridas no aportadas".to_string(),
            format!(
                "sí ({kind}, exigida por {label} hasta el {})",
                format_date(*until)
            ),
            "no".into(),
            why,
        ));
    }
    out
}
