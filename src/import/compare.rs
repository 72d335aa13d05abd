//! The terms in force on the import date as the old system computes them (traps 1, 3, 4, 6),
//! against Arriendo's view of the imported streams. Every difference goes to the report with
//! the reason; a difference without a known reason says so.

use chrono::NaiveDate;

use arriendo_events::{Contrato, Money, format_date};

use super::plan::contract::{FAMILIES, family_kind};
use super::plan::{PlannedContract, Planner};
use super::source::{Row, Source};

pub(super) fn rows_of<'r>(src: &'r Source, table: &str, contract: i64) -> Vec<&'r Row> {
    src.of_contract(table, contract)
}

pub(super) fn approved(r: &Row) -> bool {
    r.opt_text("estado").as_deref() == Some("APROBADO")
}

pub(super) fn from(r: &Row) -> Option<NaiveDate> {
    r.opt_date("effective_from").ok().flatten()
}

fn in_force(r: &Row, day: NaiveDate) -> bool {
    approved(r)
        && from(r).is_some_and(|f| f <= day)
        && r.opt_date("effective_to")
            .ok()
            .flatten()
            .is_none_or(|t| day <= t)
}

/// trap 3.
pub fn source_end(src: &Source, contract: &Row, day: NaiveDate) -> Option<NaiveDate> {
    let renewal = rows_of(src, "gestion_renovacionautomatica", contract.id)
        .into_iter()
        .filter(|r| approved(r) && from(r).is_some_and(|f| f <= day))
        .max_by_key(|r| (from(r), r.id))
        .and_then(|r| r.opt_date("nueva_fecha_final_actualizada").ok().flatten());
    if renewal.is_some() {
        return renewal;
    }
    let otros = rows_of(src, "gestion_otrosi", contract.id);
    let current = otros
        .iter()
        .filter(|r| in_force(r, day))
        .max_by_key(|r| (from(r), r.id))
        .and_then(|r| {
            r.opt_date("effective_to")
                .ok()
                .flatten()
                .or_else(|| r.opt_date("nueva_fecha_final_actualizada").ok().flatten())
        });
    if current.is_some() {
        return current;
    }
    otros
        .iter()
        .filter(|r| approved(r))
        .filter_map(|r| {
            Some((
                from(r)?,
                r.id,
                r.opt_date("nueva_fecha_final_actualizada").ok().flatten()?,
            ))
        })
        .max()
        .map(|(_, _, d)| d)
        .or_else(|| contract.opt_date("fecha_final_inicial").ok().flatten())
}

/// trap 1: the canon (fixed or minimum) the contract page shows, in pesos.
fn source_canon(src: &Source, contract: &Row, day: NaiveDate) -> Option<(Money, String)> {
    let m = |r: &Row, c: &str| crate::import::convert::money(r, c).ok().flatten();
    let hybrid =
        contract.opt_text("modalidad_pago").as_deref() == Some("Hibrido (Min Garantizado)");
    let mut canon = if hybrid {
        m(contract, "canon_minimo_garantizado")
    } else {
        m(contract, "valor_canon_fijo").or_else(|| m(contract, "canon_minimo_garantizado"))
    }
    .map(|c| (c, NaiveDate::MIN, "contrato".to_string()));
    for r in rows_of(src, "gestion_otrosi", contract.id)
        .into_iter()
        .filter(|r| in_force(r, day))
    {
        if let (Some(f), Some(v)) = (
            from(r),
            m(r, "nuevo_valor_canon").or_else(|| m(r, "nuevo_canon_minimo_garantizado")),
        ) && canon.as_ref().is_none_or(|c| f >= c.1)
        {
            canon = Some((v, f, r.opt_text("numero_otrosi").unwrap_or_default()));
        }
    }
    for table in ["gestion_calculoipc", "gestion_calculosalariominimo"] {
        for r in rows_of(src, table, contract.id) {
            let date = r.opt_date("fecha_aplicacion").ok().flatten();
            if r.opt_text("estado").as_deref() == Some("APLICADO")
                && let (Some(d), Some(v)) = (date, m(r, "nuevo_canon"))
                && d <= day
                && canon.as_ref().is_none_or(|c| d >= c.1)
            {
                canon = Some((v, d, format!("ajuste {}", format_date(d))));
            }
        }
    }
    canon.map(|(c, _, by)| (c, by))
}

/// trap 6: the families required on `day` and the document that last set each.
fn source_families(src: &Source, contract: &Row, day: NaiveDate) -> Vec<(String, String)> {
    let mut docs: Vec<&Row> = rows_of(src, "gestion_otrosi", contract.id);
    docs.extend(rows_of(src, "gestion_renovacionautomatica", contract.id));
    docs.retain(|r| in_force(r, day));
    docs.sort_by_key(|r| (from(r), r.id));
    let other = contract
        .opt_text("nombre_poliza_otra_1")
        .unwrap_or_else(|| "Otra".into());
    FAMILIES
        .iter()
        .filter_map(|(family, _)| {
            let column = format!("nuevo_exige_poliza_{family}");
            let by_doc = docs.iter().rev().find_map(|r| {
                r.opt_flag(&column).ok().flatten().map(|v| {
                    let label = r
                        .opt_text("numero_otrosi")
                        .or_else(|| r.opt_text("numero_renovacion"))
                        .unwrap_or_default();
                    (v, label)
                })
            });
            let (required, by) = match by_doc {
                Some(found) => found,
                None => (
                    contract
                        .flag(&format!("exige_poliza_{family}"))
                        .unwrap_or(false),
                    "contrato".into(),
                ),
            };
            required.then(|| (family_kind(family, &other).to_string(), by))
        })
        .collect()
}

fn arriendo_in_force(state: &Contrato, day: NaiveDate) -> bool {
    let Some(terms) = &state.terms else {
        return false;
    };
    let end = state.end_date_in_force(day).unwrap_or(terms.end_date);
    state.terminated.is_none() && terms.start_date <= day && day <= end
}

pub fn differences(planner: &mut Planner<'_>) {
    let day = planner.as_of;
    let src = planner.src;
    let mut found = vec![];
    for plan in &planner.contracts {
        let Some(contract) = src
            .rows("gestion_contrato")
            .iter()
            .find(|r| r.id == plan.row_id)
        else {
            continue;
        };
        compare_one(src, contract, plan, day, &mut found);
    }
    for (contract, aspect, source, arriendo, why) in found {
        planner
            .report
            .differ(&contract, aspect, source, arriendo, why);
    }
}

type Found = (String, String, String, String, String);

fn compare_one(
    src: &Source,
    contract: &Row,
    plan: &PlannedContract,
    day: NaiveDate,
    out: &mut Vec<Found>,
) {
    let state = &plan.stream.state;
    let Some(terms) = &state.terms else { return };
    let number = plan.number.clone();
    let mut push = |aspect: &str, source: String, arriendo: String, why: String| {
        out.push((number.clone(), aspect.to_string(), source, arriendo, why));
    };
    // End in force.
    let src_end = source_end(src, contract, day);
    let own_end = state.end_date_in_force(day);
    if src_end != own_end {
        let why = if rows_of(src, "gestion_otrosi", contract.id)
            .iter()
            .any(|r| in_force(r, day) && r.opt_date("effective_to").ok().flatten().is_some())
        {
            "el sistema anterior toma el fin de vigencia de un Otro Sí temporal como fin del contrato mientras rige; Arriendo conserva el fin del contrato".to_string()
        } else if rows_of(src, "gestion_renovacionautomatica", contract.id)
            .iter()
            .any(|r| approved(r) && from(r).is_some_and(|f| f > day))
        {
            "renovación aprobada que empieza después de la fecha de comparación: Arriendo ya muestra el fin prorrogado, el sistema anterior cuando empieza".to_string()
        } else if src_end.is_some_and(|e| own_end.is_some_and(|o| e > o))
            && rows_of(src, "gestion_otrosi", contract.id).iter().any(|r| {
                approved(r)
                    && from(r).is_some_and(|f| f > day)
                    && r.opt_date("nueva_fecha_final_actualizada").ok().flatten() == src_end
            })
        {
            "Otro Sí aprobado con nueva fecha final que aún no rige: el sistema anterior ya muestra el fin nuevo; Arriendo lo aplica desde la fecha en que rige el Otro Sí".to_string()
        } else {
            "sin explicar".to_string()
        };
        push(
            "fin vigente",
            src_end.map(format_date).unwrap_or_default(),
            own_end.map(format_date).unwrap_or_default(),
            why,
        );
    }
    // Canon in force.
    let own_modality = state.modality_in_force(day).unwrap_or(terms.modality);
    let own_canon = own_modality.fixed_amount();
    let src_canon = source_canon(src, contract, day);
    let variable_now = own_modality.fixed_amount().is_none();
    if !variable_now && src_canon.as_ref().map(|c| c.0) != own_canon {
        let (value, by) = src_canon.clone().unwrap_or((Money::ZERO, String::new()));
        let why = if own_canon.is_some_and(|c| c.pesos().abs_diff(value.pesos()) <= 1) {
            "redondeo a pesos de un valor con centavos".to_string()
        } else if by.starts_with("ajuste") {
            "el sistema anterior aplica el ajuste sobre su propio canon; en Arriendo un Otro Sí de fecha posterior al ajuste fija el canon".to_string()
        } else if by.starts_with("OS") || by.contains("-OS-") {
            "en Arriendo el ajuste aplicado después del Otro Sí fija el canon; el sistema anterior da prioridad al Otro Sí".to_string()
        } else {
            "sin explicar".to_string()
        };
        push(
            "canon vigente",
            format!("{value} ({by})"),
            own_canon.map(|c| c.to_string()).unwrap_or_default(),
            why,
        );
    }
    // Required policies in force.
    let src_fams = source_families(src, contract, day);
    let mut src_kinds: Vec<String> = src_fams.iter().map(|(k, _)| k.clone()).collect();
    let mut own_kinds: Vec<String> = state
        .required_policies_in_force(day)
        .unwrap_or_default()
        .iter()
        .map(|r| r.kind.to_string())
        .collect();
    src_kinds.sort();
    own_kinds.sort();
    if src_kinds != own_kinds {
        let cleared_by: Vec<String> = src_fams.iter().map(|(_, by)| by.clone()).collect();
        let docs: Vec<&Row> = rows_of(src, "gestion_otrosi", contract.id)
            .into_iter()
            .chain(rows_of(src, "gestion_renovacionautomatica", contract.id))
            .filter(|r| in_force(r, day))
            .collect();
        let why = if docs.iter().any(|r| {
            !r.flag("modifica_polizas").unwrap_or(false)
                && FAMILIES.iter().any(|(f, _)| {
                    r.opt_flag(&format!("nuevo_exige_poliza_{f}"))
                        .ok()
                        .flatten()
                        == Some(false)
                })
        }) {
            "un Otro Sí o una renovación sin «¿Modifica pólizas?» borra en el sistema anterior las pólizas requeridas (la pantalla desmarca las casillas); Arriendo las conserva".to_string()
        } else if docs.iter().any(|r| {
            r.opt_text("numero_renovacion").is_some() && r.flag("modifica_polizas").unwrap_or(false)
        }) {
            "una renovación que cambia las pólizas requeridas: las renovaciones de Arriendo no cambian requisitos".to_string()
        } else {
            format!("sin explicar (documentos: {})", cleared_by.join(", "))
        };
        let show = |k: &[String]| {
            if k.is_empty() {
                "ninguna".to_string()
            } else {
                k.join(", ")
            }
        };
        push(
            "pólizas requeridas",
            show(&src_kinds),
            show(&own_kinds),
            why,
        );
    }
    // In force (trap 4).
    let src_vigente = rows_of(src, "gestion_otrosi", contract.id)
        .iter()
        .any(|r| in_force(r, day))
        || (contract.flag("vigente").unwrap_or(false) && src_end.is_some_and(|e| e >= day));
    let own_vigente = arriendo_in_force(state, day);
    if src_vigente != own_vigente {
        let why = if !contract.flag("vigente").unwrap_or(false) && src_vigente {
            "vigente = 0 en el sistema anterior (cierre manual), que aun así lo cuenta vigente porque tiene un Otro Sí aprobado en vigor; Arriendo lo termina".to_string()
        } else if !contract.flag("vigente").unwrap_or(false) {
            "vigente = 0 en el sistema anterior (cierre manual)".to_string()
        } else if terms.start_date > day {
            "el contrato aún no empieza: Arriendo no lo cuenta vigente, el sistema anterior sí (marca vigente y fin posterior)".to_string()
        } else if src_vigente {
            "el sistema anterior lo cuenta vigente porque tiene un Otro Sí aprobado en vigor, aunque su fin ya pasó".to_string()
        } else {
            "sin explicar".to_string()
        };
        let yes_no = |b: bool| if b { "vigente" } else { "no vigente" }.to_string();
        push("vigencia", yes_no(src_vigente), yes_no(own_vigente), why);
    }
    alerts(src, contract, plan, day, src_end, out);
    for (aspect, source, arriendo, why) in
        super::compare_polizas::differences(src, contract, state, day, src_vigente)
    {
        out.push((plan.number.clone(), aspect, source, arriendo, why));
    }
}

/// The alerts whose rule both systems share and whose inputs the importer has (vencimiento,
/// preaviso, terminación anticipada and renovación automática: same thresholds, each system's end date and in-force flag; trap 4: the old system
/// only alerts on `vigente = 1`), and the informe de ventas alert the old system never had.
fn alerts(
    src: &Source,
    contract: &Row,
    plan: &PlannedContract,
    day: NaiveDate,
    src_end: Option<NaiveDate>,
    out: &mut Vec<Found>,
) {
    use arriendo_projections::alerts::{AlertKind, contract_alerts};
    let state = &plan.stream.state;
    let Some(terms) = &state.terms else { return };
    let own: Vec<AlertKind> = contract_alerts(uuid::Uuid::nil(), state, day)
        .iter()
        .map(|a| a.kind)
        .collect();
    let flag = contract.flag("vigente").unwrap_or(false);
    let days = src_end.map(|e| e.signed_duration_since(day).num_days());
    let src_venc = flag && terms.start_date <= day && days.is_some_and(|d| (0..=90).contains(&d));
    let src_pre = flag
        && !terms.automatic_extension
        && days.is_some_and(|d| d >= 0 && d.saturating_sub(i64::from(terms.preaviso_days)) <= 60);
    let earlier: Vec<String> = out
        .iter()
        .filter(|f| f.0 == plan.number)
        .map(|f| f.1.clone())
        .collect();
    let later_renewal = rows_of(src, "gestion_renovacionautomatica", contract.id)
        .iter()
        .any(|r| approved(r) && from(r).is_some_and(|f| f > day));
    let why = |earlier: &[String]| {
        if earlier
            .iter()
            .any(|a| a == "fin vigente" || a == "vigencia")
        {
            "consecuencia de la diferencia de fin vigente o de vigencia de este contrato (arriba)"
                .to_string()
        } else if later_renewal {
            "renovación aprobada que empieza después de la fecha de comparación: Arriendo ya alerta con el fin prorrogado".to_string()
        } else if !flag {
            "vigente = 0: el sistema anterior no alerta sobre contratos marcados no vigentes"
                .to_string()
        } else {
            "sin explicar".to_string()
        }
    };
    let yes_no = |b: bool| if b { "sí" } else { "no" }.to_string();
    let src_early = flag
        && terms.start_date <= day
        && days.is_some_and(|d| d >= 0 && d <= i64::from(terms.early_termination_notice_days));
    let src_renewal = flag && terms.automatic_extension && days.is_some_and(|d| d <= 30);
    for (kind, src_has) in [
        (AlertKind::Vencimiento, src_venc),
        (AlertKind::Preaviso, src_pre),
        (AlertKind::TerminacionAnticipada, src_early),
        (AlertKind::RenovacionAutomatica, src_renewal),
    ] {
        let own_has = own.contains(&kind);
        if src_has != own_has {
            out.push((
                plan.number.clone(),
                format!("alerta {}", kind.label()),
                yes_no(src_has),
                yes_no(own_has),
                why(&earlier),
            ));
        }
    }
    if own.contains(&AlertKind::InformeVentas) {
        out.push((
            plan.number.clone(),
            format!("alerta {}", AlertKind::InformeVentas.label()),
            "no existe".into(),
            "sí".into(),
            "alerta nueva de Arriendo: el sistema anterior no alerta sobre informes de ventas pendientes".into(),
        ));
    }
}
