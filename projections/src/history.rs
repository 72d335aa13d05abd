//! Contract history: a readable Spanish sentence for every event. The app's history read model
//! stores raw JSON payloads with who and when; [`describe`] turns a payload into its sentence.

use arriendo_events::{
    AttachmentSubject, ContratoEvent, EmpresaEvent, IndexKind, IndiceEvent, LocalEvent,
    OtroSiChanges, PaymentModality, TerceroEvent, TerceroKind, format_date, format_size,
    signed_pesos,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of a history page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub recorded_at: DateTime<Utc>,
    /// Username of who did it (event metadata).
    pub who: String,
    pub event_type: String,
    pub sentence: String,
}

/// "canon fijo $ 10.000.000", "variable puro 8 % de las ventas", "híbrido: mínimo $ 5.000.000 más 8 % de las ventas".
pub fn modality_phrase(modality: &PaymentModality) -> String {
    match modality {
        PaymentModality::Fijo { canon } => format!("canon fijo {canon}"),
        PaymentModality::VariablePuro { percentage } => {
            format!("variable puro {percentage} de las ventas")
        }
        PaymentModality::Hibrido {
            minimum,
            percentage,
        } => format!("híbrido: mínimo {minimum} más {percentage} de las ventas"),
    }
}

/// What an Otro Sí changes, in words: "canon $ 12.000.000, fecha final 31/12/2027".
pub fn changes_phrase(changes: &OtroSiChanges) -> String {
    let mut parts = Vec::new();
    if let Some(m) = &changes.modality {
        parts.push(format!("modalidad {}", modality_phrase(m)));
    }
    if let Some(c) = changes.canon {
        parts.push(format!("canon {c}"));
    }
    if let Some(m) = changes.minimum {
        parts.push(format!("mínimo {m}"));
    }
    if let Some(p) = changes.percentage {
        parts.push(format!("porcentaje de ventas {p}"));
    }
    if let Some(e) = changes.end_date {
        parts.push(format!("fecha final {}", format_date(e)));
    }
    if let Some(d) = changes.duration_months {
        parts.push(format!("duración {d} meses"));
    }
    if changes.adjustment_index.is_some() || changes.adjustment_on.is_some() {
        parts.push("regla de ajuste".to_string());
    }
    if let Some(p) = &changes.required_policies {
        let kinds: Vec<String> = p.iter().map(|r| r.kind.to_string()).collect();
        parts.push(if kinds.is_empty() {
            "sin pólizas exigidas".to_string()
        } else {
            format!("pólizas exigidas {}", kinds.join(", "))
        });
    }
    parts.join(", ")
}

pub fn describe_contrato(event: &ContratoEvent) -> String {
    use ContratoEvent::*;
    match event {
        ContractCreated(t) => format!(
            "Creó el contrato {} ({})",
            t.number,
            modality_phrase(&t.modality)
        ),
        ContractTermsUpdated(update) => {
            let t = &update.terms;
            let mut sentence = format!(
                "Modificó los datos del contrato {} ({}, del {} al {})",
                t.number,
                modality_phrase(&t.modality),
                format_date(t.start_date),
                format_date(t.end_date)
            );
            if !update.reason.is_empty() {
                sentence.push_str(&format!(". Motivo: {}", update.reason));
            }
            sentence
        }
        SeguimientoAdded(s) => match s.follow_up {
            Some(day) => format!(
                "Agregó un seguimiento: «{}» (volver a revisar el {})",
                s.note,
                format_date(day)
            ),
            None => format!("Agregó un seguimiento: «{}»", s.note),
        },
        SeguimientoCorrected { index, note, .. } => format!(
            "Corrigió la nota de seguimiento número {}: ahora dice «{note}»",
            index.saturating_add(1)
        ),
        SeguimientoRetracted { index, reason, .. } => format!(
            "Retiró la nota de seguimiento número {}: {reason}",
            index.saturating_add(1)
        ),
        ContractTerminated(t) => format!(
            "Terminó el contrato el {}: {}",
            format_date(t.date),
            t.reason
        ),
        ContractDeleted { reason, .. } => format!("Eliminó el contrato: {reason}"),
        ClauseChecklistRecorded { clause_ids, .. } => match clause_ids.len() {
            0 => "Registró la lista de cláusulas: ninguna".to_string(),
            1 => "Registró la lista de cláusulas: 1 cláusula".to_string(),
            n => format!("Registró la lista de cláusulas: {n} cláusulas"),
        },
        OtroSiDrafted {
            number,
            effective_from,
            changes,
            ..
        } => format!(
            "Redactó el Otro Sí {number} (desde el {}: {})",
            format_date(*effective_from),
            changes_phrase(changes)
        ),
        OtroSiEdited {
            number,
            effective_from,
            changes,
            ..
        } => format!(
            "Editó el Otro Sí {number} (desde el {}: {})",
            format_date(*effective_from),
            changes_phrase(changes)
        ),
        OtroSiDeleted { number } => format!("Eliminó el Otro Sí {number}"),
        OtroSiSubmitted { number, .. } => format!("Envió a revisión el Otro Sí {number}"),
        OtroSiApproved { number, .. } => format!("Aprobó el Otro Sí {number}"),
        OtroSiRejected { number, reason, .. } => {
            format!("Rechazó el Otro Sí {number}: {reason}")
        }
        RenewalProposed {
            number, new_end, ..
        } => format!(
            "Propuso la renovación automática {number} hasta el {}",
            format_date(*new_end)
        ),
        RenewalApproved { number, .. } => format!("Aprobó la renovación automática {number}"),
        RenewalAnnulled { number, reason, .. } => {
            format!("Anuló la renovación automática {number}: {reason}")
        }
        PolizaRegistered { poliza, .. } => format!(
            "Registró la póliza {} {} de {}",
            poliza.kind, poliza.number, poliza.insurer
        ),
        PolizaUpdated { poliza, .. } => format!(
            "Actualizó la póliza {} {} de {}",
            poliza.kind, poliza.number, poliza.insurer
        ),
        PolizaRenewed { validity, .. } => format!(
            "Prorrogó una póliza hasta el {}",
            format_date(validity.to())
        ),
        PolizaCancelled { date, reason, .. } => {
            format!("Canceló una póliza el {}: {reason}", format_date(*date))
        }
        PolizaSeguimientoCorrected { index, note, .. } => format!(
            "Corrigió la nota de seguimiento número {} de una póliza: ahora dice «{note}»",
            index.saturating_add(1)
        ),
        PolizaSeguimientoRetracted { index, reason, .. } => format!(
            "Retiró la nota de seguimiento número {} de una póliza: {reason}",
            index.saturating_add(1)
        ),
        PolizaSeguimientoAdded { seguimiento, .. } => {
            format!("Agregó un seguimiento a una póliza: «{}»", seguimiento.note)
        }
        SalesReportRegistered { period, deadline } => format!(
            "Registró el informe de ventas de {period} (plazo {})",
            format_date(*deadline)
        ),
        SalesReportDelivered {
            period,
            gross_sales,
            returns,
            billed,
            ..
        } => {
            let billed = billed
                .map(|b| format!("; facturado {b}"))
                .unwrap_or_default();
            format!(
                "Marcó entregado el informe de ventas de {period} (ventas brutas {gross_sales}, devoluciones {returns}{billed})"
            )
        }
        SalesReportMarkedPending { period } => {
            format!("Marcó pendiente el informe de ventas de {period}")
        }
        CanonAdjusted(a) => format!(
            "Ajustó el canon {} por {} {} ({}): de {} a {}, desde el {}",
            a.year,
            a.rule.kind(),
            a.index_value,
            increase_phrase(a.increase),
            a.previous_canon,
            a.new_canon,
            format_date(a.effective_date)
        ),
        ReliquidacionRecorded { cause, months, .. } => {
            let lines: Vec<String> = months
                .iter()
                .map(|m| {
                    format!(
                        "{} de {} a {} ({})",
                        m.period,
                        m.previous,
                        m.corrected,
                        signed_pesos(m.difference())
                    )
                })
                .collect();
            format!(
                "Reliquidó por {cause} {} ya {}: {}",
                if months.len() == 1 {
                    "el mes"
                } else {
                    "los meses"
                },
                if months.len() == 1 {
                    "facturado"
                } else {
                    "facturados"
                },
                lines.join("; ")
            )
        }
        DocumentAttached(a) => {
            let to = match a.subject {
                AttachmentSubject::Contrato => "al contrato".to_string(),
                AttachmentSubject::OtroSi { number } => format!("al Otro Sí {number}"),
                AttachmentSubject::Poliza { .. } => "a una póliza".to_string(),
            };
            let mut sentence = format!(
                "Adjuntó «{}» ({}, {}) {to}",
                a.file.file_name,
                a.file.media_type.label(),
                format_size(a.file.size_bytes)
            );
            if !a.description.is_empty() {
                sentence.push_str(&format!(": {}", a.description));
            }
            sentence
        }
        DocumentRemoved {
            file_name, reason, ..
        } => format!("Retiró el documento «{file_name}»: {reason}"),
        AlertPostponed {
            kind, until, note, ..
        } => format!(
            "Pospuso la alerta «{}» hasta el {}: {note}",
            alert_label(kind),
            format_date(*until)
        ),
        AlertAcknowledged { kind, note, .. } => {
            format!(
                "Marcó como atendida la alerta «{}»: {note}",
                alert_label(kind)
            )
        }
    }
}

/// The Spanish name of an alert kind recorded by its slug (the slug itself if unknown).
fn alert_label(slug: &str) -> &str {
    crate::alerts::AlertKind::from_slug(slug).map_or(slug, |k| k.label())
}

/// Like [`describe_contrato`], naming the póliza of póliza events by its kind and number
/// (those events carry only its id): `contrato` is the state the póliza is found in (the state
/// before or after the event both work).
pub fn describe_contrato_in(contrato: &arriendo_events::Contrato, event: &ContratoEvent) -> String {
    use ContratoEvent::*;
    let poliza = |id: &uuid::Uuid| {
        contrato
            .find_poliza(*id)
            .map(|p| format!("la póliza {} {}", p.data.kind, p.data.number))
    };
    match event {
        PolizaRenewed { id, validity } => {
            poliza(id).map(|p| format!("Prorrogó {p} hasta el {}", format_date(validity.to())))
        }
        PolizaCancelled {
            id, date, reason, ..
        } => poliza(id).map(|p| format!("Canceló {p} el {}: {reason}", format_date(*date))),
        PolizaSeguimientoAdded { id, seguimiento } => {
            poliza(id).map(|p| format!("Agregó un seguimiento a {p}: «{}»", seguimiento.note))
        }
        PolizaSeguimientoCorrected {
            id, index, note, ..
        } => poliza(id).map(|p| {
            format!(
                "Corrigió la nota de seguimiento número {} de {p}: ahora dice «{note}»",
                index.saturating_add(1)
            )
        }),
        PolizaSeguimientoRetracted {
            id, index, reason, ..
        } => poliza(id).map(|p| {
            format!(
                "Retiró la nota de seguimiento número {} de {p}: {reason}",
                index.saturating_add(1)
            )
        }),
        DocumentAttached(a) => match a.subject {
            AttachmentSubject::Poliza { id } => poliza(&id)
                .map(|p| describe_contrato(event).replace("a una póliza", &format!("a {p}"))),
            _ => None,
        },
        _ => None,
    }
    .unwrap_or_else(|| describe_contrato(event))
}

fn increase_phrase(increase: rust_decimal::Decimal) -> String {
    format!(
        "incremento {} %",
        increase.normalize().to_string().replace('.', ",")
    )
}

pub fn describe_tercero(event: &TerceroEvent) -> String {
    let (verb, data) = match event {
        TerceroEvent::TerceroRegistered(d) => ("Registró", d),
        TerceroEvent::TerceroUpdated(d) => ("Actualizó", d),
    };
    let kind = match data.kind {
        TerceroKind::Arrendatario => "arrendatario",
        TerceroKind::Proveedor => "proveedor",
    };
    format!("{verb} el {kind} {} (NIT {})", data.razon_social, data.nit)
}

pub fn describe_local(event: &LocalEvent) -> String {
    let (verb, data) = match event {
        LocalEvent::LocalRegistered(d) => ("Registró", d),
        LocalEvent::LocalUpdated(d) => ("Actualizó", d),
    };
    format!(
        "{verb} el local {} ({}, {})",
        data.name, data.location, data.area_m2
    )
}

pub fn describe_indice(event: &IndiceEvent) -> String {
    let IndiceEvent::IndexValueRecorded {
        kind,
        year,
        value,
        previous,
        ..
    } = event;
    let name = match kind {
        IndexKind::Ipc => "el IPC",
        IndexKind::SalarioMinimo => "el incremento del salario mínimo",
    };
    match previous {
        Some(previous) => format!("Corrigió {name} de {year}: {value} (antes {previous})"),
        None => format!("Registró {name} de {year}: {value}"),
    }
}

pub fn describe_empresa(event: &EmpresaEvent) -> String {
    match event {
        EmpresaEvent::CompanyDataRecorded { data, .. } => format!(
            "Registró los datos de la empresa: {} (NIT {})",
            data.name, data.nit
        ),
        EmpresaEvent::CompanyLogoSet { logo, .. } => format!(
            "Cambió el logo de la empresa: «{}» ({}, {})",
            logo.file_name,
            logo.media_type.label(),
            format_size(logo.size_bytes)
        ),
        EmpresaEvent::CompanyLogoRemoved { .. } => "Quitó el logo de la empresa".to_string(),
    }
}

/// The sentence of a stored payload (externally tagged, `{"OtroSiApproved": {…}}`) of the given
/// aggregate type (`contrato`, `tercero`, `local`, `indice`); `None` when it does not
/// deserialise (an old version should be upcast first).
pub fn describe(aggregate_type: &str, payload: &serde_json::Value) -> Option<String> {
    let payload = payload.clone();
    match aggregate_type {
        "contrato" => serde_json::from_value(payload)
            .ok()
            .map(|e| describe_contrato(&e)),
        "tercero" => serde_json::from_value(payload)
            .ok()
            .map(|e| describe_tercero(&e)),
        "local" => serde_json::from_value(payload)
            .ok()
            .map(|e| describe_local(&e)),
        "indice" => serde_json::from_value(payload)
            .ok()
            .map(|e| describe_indice(&e)),
        "empresa" => serde_json::from_value(payload)
            .ok()
            .map(|e| describe_empresa(&e)),
        "catalogos" => serde_json::from_value(payload)
            .ok()
            .map(|e| describe_catalogos(&e)),
        _ => None,
    }
}

/// The sentence of a change of the catalogs (tipos, cláusulas, where each clause is mandatory).
pub fn describe_catalogos(event: &arriendo_events::CatalogosEvent) -> String {
    use arriendo_events::{CatalogosEvent::*, ClauseScope};
    let scope = |s: &ClauseScope| match s {
        ClauseScope::AllClient => "todos los contratos de cliente",
        ClauseScope::AllSupplier => "todos los contratos de proveedor",
        ClauseScope::ContractType(_) => "un tipo de contrato",
        ClauseScope::ServiceType(_) => "un tipo de servicio",
    };
    match event {
        TypeRegistered { catalog, name, .. } => format!("Registró el {} «{name}»", catalog.label()),
        TypeUpdated { name, active, .. } => format!(
            "Actualizó el tipo «{name}» ({})",
            if *active { "activo" } else { "inactivo" }
        ),
        ClauseRegistered { clause, .. } => format!("Registró la cláusula «{}»", clause.title),
        ClauseUpdated { clause, .. } => format!(
            "Actualizó la cláusula «{}» ({})",
            clause.title,
            if clause.active { "activa" } else { "inactiva" }
        ),
        MandatoryClauseAdded { scope: s, .. } => {
            format!("Hizo obligatoria una cláusula para {}", scope(s))
        }
        MandatoryClauseRemoved { scope: s, .. } => {
            format!("Dejó de exigir una cláusula para {}", scope(s))
        }
    }
}
