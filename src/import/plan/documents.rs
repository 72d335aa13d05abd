//! Otro Sí in every state and renovaciones automáticas (traps 3, 5, 6, 15).

use arriendo_events::{
    ContratoCommand, OtroSiChanges, PaymentModality, PolicyRequirement, RenewalNumber, format_date,
};

use super::contract::{FAMILIES, requirement};
use super::{Origin, PlannedContract, Planner};
use crate::import::convert;
use crate::import::source::{Row, SourceError};

pub const RULE_ZERO_UNCHANGED: &str = "Otro Sí: NULL, texto vacío y 0 significan «sin cambio» (la pantalla anterior llena con 0 las casillas que no se tocan)";
pub const RULE_POLICIES_UNTICKED: &str = "Otro Sí y renovaciones sin «¿Modifica pólizas?»: en el sistema anterior desmarcan todas las pólizas requeridas; Arriendo las deja sin cambio";
pub const RULE_ORDER: &str = "Otros Sí: Arriendo numera OS-1, OS-2… por contrato y solo aprueba uno cuando los anteriores están decididos; los decididos se importan primero y el número anterior queda en la descripción";

/// The number the old system shows (`OS-3`, `CON-2024-001-OS-3`) → 3.
fn source_number(text: &str) -> Option<u32> {
    text.rsplit('-').next()?.trim().parse().ok()
}

fn pending(estado: &str) -> bool {
    matches!(estado, "BORRADOR" | "EN_REVISION")
}

impl Planner<'_> {
    pub(super) fn documents(&mut self, contract: &Row, plan: &mut PlannedContract) {
        let mut rows: Vec<&Row> = self.src.of_contract("gestion_otrosi", contract.id);
        rows.sort_by_key(|r| (pending(&r.opt_text("estado").unwrap_or_default()), r.id));
        for row in rows {
            if let Err(e) = self.otro_si(contract, row, plan) {
                let subject = format!(
                    "{} {}",
                    plan.number,
                    row.opt_text("numero_otrosi").unwrap_or_default()
                );
                self.source_error(&subject, e);
            }
        }
        let mut renewals: Vec<&Row> = self
            .src
            .of_contract("gestion_renovacionautomatica", contract.id);
        renewals.sort_by_key(|r| {
            (
                source_number(&r.opt_text("numero_renovacion").unwrap_or_default()),
                r.id,
            )
        });
        for row in renewals {
            if let Err(e) = self.renewal(row, plan) {
                let subject = format!(
                    "{} {}",
                    plan.number,
                    row.opt_text("numero_renovacion").unwrap_or_default()
                );
                self.source_error(&subject, e);
            }
        }
    }

    fn otro_si(
        &mut self,
        contract: &Row,
        row: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        let source_label = row.opt_text("numero_otrosi").unwrap_or_default();
        let subject = format!("{} {}", plan.number, source_label);
        let estado = row.opt_text("estado").unwrap_or_default();
        let from = row.date("effective_from")?;
        let to = row.opt_date("effective_to")?;
        let changes = self.changes(contract, row, plan, &subject, from, to, &estado)?;
        let origin = Origin::of(row, Some("fecha_creacion"));
        let description = row.opt_text("descripcion").unwrap_or_default();
        if changes.is_empty() {
            // Arriendo has no Otro Sí that changes nothing it models: the document becomes a note.
            let note = format!(
                "Otro Sí {source_label} del sistema anterior ({}, {}), vigente desde {}{}: {description}",
                row.opt_text("tipo").unwrap_or_default(),
                estado.to_lowercase(),
                format_date(from),
                to.map(|t| format!(" hasta {}", format_date(t)))
                    .unwrap_or_default(),
            );
            let command = ContratoCommand::AddSeguimiento {
                actor: self.admin.clone(),
                date: row.opt_date("fecha_otrosi")?.unwrap_or(from),
                note,
                follow_up: None,
            };
            let user = self.admin.username.clone();
            match self.exec(&mut plan.stream, &user, command, &origin) {
                Ok(()) => {
                    self.report.imported(row.table);
                    self.report.change(row.table, row.id, &subject, "no cambia nada que Arriendo modele (canon, modalidad, porcentaje, fin, ajuste ni pólizas): se importa como nota de seguimiento del contrato");
                }
                Err(e) => self.refuse(row, &subject, e),
            }
            return Ok(());
        }
        let number = plan.stream.state.next_otro_si_number();
        let description = if source_number(&source_label) == Some(number.0) {
            description
        } else {
            self.report.convert(RULE_ORDER);
            self.report.change(
                row.table,
                row.id,
                &subject,
                format!("se importa como {number}"),
            );
            format!("{description} (en el sistema anterior: {source_label})")
        };
        let admin = self.admin.clone();
        let user = admin.username.clone();
        let steps: Vec<ContratoCommand> = {
            let draft = ContratoCommand::DraftOtroSi {
                actor: admin.clone(),
                effective_from: from,
                effective_to: to,
                changes,
                description,
            };
            let submit = ContratoCommand::SubmitOtroSi {
                actor: admin.clone(),
                number,
            };
            match estado.as_str() {
                "BORRADOR" => vec![draft],
                "EN_REVISION" => vec![draft, submit],
                "APROBADO" => vec![
                    draft,
                    submit,
                    ContratoCommand::ApproveOtroSi {
                        actor: admin.clone(),
                        number,
                    },
                ],
                "RECHAZADO" => vec![
                    draft,
                    submit,
                    ContratoCommand::RejectOtroSi {
                        actor: admin.clone(),
                        number,
                        reason: row
                            .opt_text("observaciones")
                            .unwrap_or_else(|| "Rechazado en el sistema anterior".into()),
                    },
                ],
                other => {
                    self.report.skip(row.table, row.id, &subject, format!("estado {other}: Arriendo no tiene ese estado de Otro Sí y ninguna pantalla del sistema anterior lo asigna"));
                    return Ok(());
                }
            }
        };
        for command in steps {
            if let Err(e) = self.exec(&mut plan.stream, &user, command, &origin) {
                self.refuse(row, &subject, e);
                return Ok(());
            }
        }
        plan.otro_si.insert(row.id, number);
        self.report.imported(row.table);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn changes(
        &mut self,
        contract: &Row,
        row: &Row,
        plan: &PlannedContract,
        subject: &str,
        from: chrono::NaiveDate,
        to: Option<chrono::NaiveDate>,
        estado: &str,
    ) -> Result<OtroSiChanges, SourceError> {
        self.report.convert(RULE_ZERO_UNCHANGED);
        let state = &plan.stream.state;
        let Some(terms) = state.terms.as_ref() else {
            return Ok(OtroSiChanges::default());
        };
        let current = state.modality_in_force(from).unwrap_or(terms.modality);
        let canon = convert::money(row, "nuevo_valor_canon")?;
        let minimum = convert::money(row, "nuevo_canon_minimo_garantizado")?;
        let percentage = convert::percentage(row, "nuevo_porcentaje_ventas")?;
        if convert::has_cents(row, "nuevo_valor_canon")?
            || convert::has_cents(row, "nuevo_canon_minimo_garantizado")?
        {
            self.report.convert(convert::RULE_CENTS);
        }
        let mut changes = OtroSiChanges::default();
        match row.opt_text("nueva_modalidad_pago").as_deref() {
            None => {
                changes.canon = canon;
                changes.minimum = minimum;
                changes.percentage = percentage;
            }
            Some("Fijo") => {
                let amount = canon.or(minimum).or(current.fixed_amount());
                changes.modality = amount.map(|canon| PaymentModality::Fijo { canon });
                if changes.modality == Some(current) {
                    changes.modality = None;
                    changes.canon = amount.filter(|a| Some(*a) != current.fixed_amount());
                }
            }
            Some("Variable Puro") => {
                let pct = percentage.or(current.sales_percentage());
                changes.modality =
                    pct.map(|percentage| PaymentModality::VariablePuro { percentage });
            }
            Some("Hibrido (Min Garantizado)") => {
                let min = minimum.or(canon).or(current.fixed_amount());
                let pct = percentage.or(current.sales_percentage());
                if let (Some(minimum), Some(percentage)) = (min, pct) {
                    changes.modality = Some(PaymentModality::Hibrido {
                        minimum,
                        percentage,
                    });
                }
            }
            Some(other) => {
                return Err(row.problem(
                    "nueva_modalidad_pago",
                    format!("valor desconocido {other:?}"),
                ));
            }
        }
        if changes.modality == Some(current) {
            changes.modality = None;
        }
        changes.end_date = row.opt_date("nueva_fecha_final_actualizada")?;
        let end_in_force = state.end_date_in_force(from).unwrap_or(terms.end_date);
        if changes.end_date.is_none()
            && let Some(to) = to
            && to > end_in_force
        {
            // trap 3: while it is in force, the old system takes effective_to as the end.
            changes.end_date = Some(to);
            self.report.change(row.table, row.id, subject, format!("sin nueva fecha final pero vigente hasta {}, después del fin del contrato ({}): el sistema anterior toma ese día como fin mientras rige; se importa como prórroga hasta esa fecha", format_date(to), format_date(end_in_force)));
        }
        if let Some(months) = row.opt_int("nuevo_plazo_meses")?.filter(|m| *m > 0) {
            self.report.change(row.table, row.id, subject, format!("nuevo plazo {months} meses: en el sistema anterior es informativo (no cambia el fin); no se importa como cambio"));
        }
        let tipo = row.opt_text("nuevo_tipo_condicion_ipc");
        let points = row
            .opt_decimal("nuevos_puntos_adicionales_ipc", 2)?
            .filter(|p| !p.is_zero());
        let periodicity = row.opt_text("nueva_periodicidad_ipc");
        let date = row.opt_date("nueva_fecha_aumento_ipc")?;
        if tipo.is_some() || points.is_some() {
            let rule = state.adjustment_rule_in_force(from).or(terms.adjustment);
            let tipo = tipo.or_else(|| {
                rule.map(|r| match r.index {
                    arriendo_events::AdjustmentIndex::Ipc { .. } => "IPC".to_string(),
                    arriendo_events::AdjustmentIndex::SalarioMinimo { .. } => {
                        "SALARIO_MINIMO".to_string()
                    }
                })
            });
            match tipo {
                Some(tipo) => {
                    let (index, note) = convert::adjustment_index(&tipo, points).map_err(|e| row.problem("nuevo_tipo_condicion_ipc", e))?;
                    if let Some(note) = note {
                        self.report.change(row.table, row.id, subject, note);
                    }
                    changes.adjustment_index = Some(index);
                }
                None => self.report.change(row.table, row.id, subject, "cambia los puntos del ajuste de un contrato sin regla de ajuste: no se importa ese cambio"),
            }
        }
        if periodicity.is_some() || date.is_some() {
            let (on, note) =
                convert::adjustment_date(periodicity.as_deref(), date, terms.start_date);
            if let Some(note) = note {
                self.report.change(row.table, row.id, subject, note);
            }
            if changes.adjustment_index.is_some()
                || state
                    .adjustment_rule_in_force(from)
                    .is_some_and(|r| r.on != on)
            {
                changes.adjustment_on = Some(on);
            }
        }
        changes.required_policies =
            self.otro_si_requirements(contract, row, plan, subject, estado)?;
        Ok(changes)
    }

    /// trap 6: only a row with «¿Modifica pólizas?» changes requirements in Arriendo; the
    /// families it leaves NULL keep the requirement in force.
    fn otro_si_requirements(
        &mut self,
        contract: &Row,
        row: &Row,
        plan: &PlannedContract,
        subject: &str,
        estado: &str,
    ) -> Result<Option<Vec<PolicyRequirement>>, SourceError> {
        let state = &plan.stream.state;
        let Some(terms) = state.terms.as_ref() else {
            return Ok(None);
        };
        if !row.flag("modifica_polizas")? {
            let clears = FAMILIES.iter().any(|(f, _)| {
                row.opt_flag(&format!("nuevo_exige_poliza_{f}"))
                    .ok()
                    .flatten()
                    == Some(false)
            });
            if clears && estado == "APROBADO" && !terms.required_policies.is_empty() {
                self.report.convert(RULE_POLICIES_UNTICKED);
                self.report.change(row.table, row.id, subject, "en el sistema anterior deja sin pólizas requeridas desde su fecha (la pantalla desmarca las casillas cuando no se marca «¿Modifica pólizas?»); se importa sin cambio de pólizas");
            }
            return Ok(None);
        }
        let from = row.date("effective_from")?;
        let current = state.required_policies_in_force(from).unwrap_or_default();
        let other_name = contract
            .opt_text("nombre_poliza_otra_1")
            .unwrap_or_else(|| "Otra".into());
        let original_end = contract.date("fecha_final_inicial")?;
        let mut out = vec![];
        for (family, _) in FAMILIES {
            let kind = super::contract::family_kind(family, &other_name);
            match row.opt_flag(&format!("nuevo_exige_poliza_{family}"))? {
                Some(true) => {
                    // trap 6: without dates of its own the months run from the contract's original end.
                    let (req, _) = requirement(
                        row,
                        "nuevo_",
                        family,
                        &other_name,
                        original_end,
                        original_end,
                    )?;
                    out.push(req);
                }
                Some(false) => {}
                None => out.extend(current.iter().find(|r| r.kind == kind).cloned()),
            }
        }
        self.report.convert(super::contract::RULE_POLICY_MONTHS);
        Ok(Some(out))
    }

    fn renewal(&mut self, row: &Row, plan: &mut PlannedContract) -> Result<(), SourceError> {
        let label = row.opt_text("numero_renovacion").unwrap_or_default();
        let subject = format!("{} {}", plan.number, label);
        let estado = row.opt_text("estado").unwrap_or_default();
        let months = row.opt_int("meses_renovacion")?.unwrap_or(0);
        let months =
            u32::try_from(months).map_err(|_| row.problem("meses_renovacion", "negativo"))?;
        let admin = self.admin.clone();
        let user = admin.username.clone();
        let origin = Origin::of(row, Some("fecha_aprobacion"));
        let number: RenewalNumber = plan.stream.state.next_renewal_number();
        let mut steps = vec![ContratoCommand::ProposeRenewalForMonths {
            actor: admin.clone(),
            months,
        }];
        match estado.as_str() {
            "APROBADO" => steps.push(ContratoCommand::ApproveRenewal {
                actor: admin.clone(),
                number,
            }),
            "BORRADOR" | "EN_REVISION" => {}
            _ => steps.push(ContratoCommand::AnnulRenewal {
                actor: admin.clone(),
                number,
                reason: format!("{} en el sistema anterior", estado.to_lowercase()),
            }),
        }
        for command in steps {
            if let Err(e) = self.exec(&mut plan.stream, &user, command, &origin) {
                self.refuse(row, &subject, e);
                return Ok(());
            }
        }
        if label != number.to_string() {
            self.report.change(
                row.table,
                row.id,
                &subject,
                format!("se importa como {number}"),
            );
        }
        if let (Some(r), Some(prev), Some(new)) = (
            plan.stream.state.find_renewal(number),
            row.opt_date("fecha_final_anterior")?,
            row.opt_date("nueva_fecha_final_actualizada")?,
        ) && (r.previous_end != prev || r.new_end != new)
        {
            self.report.change(row.table, row.id, &subject, format!(
                "el sistema anterior la registra de {} a {}; en Arriendo va de {} a {} (fin vigente más {months} meses)",
                format_date(prev), format_date(new), format_date(r.previous_end), format_date(r.new_end)
            ));
        }
        if row.flag("modifica_polizas")? {
            self.report.change(row.table, row.id, &subject, "cambia las pólizas requeridas en el sistema anterior; las renovaciones de Arriendo no cambian requisitos: se conservan los del contrato y sus Otros Sí");
        } else if FAMILIES.iter().any(|(f, _)| {
            row.opt_flag(&format!("nuevo_exige_poliza_{f}"))
                .ok()
                .flatten()
                == Some(false)
        }) {
            self.report.convert(RULE_POLICIES_UNTICKED);
            self.report.change(row.table, row.id, &subject, "en el sistema anterior deja sin pólizas requeridas desde su fecha (la pantalla desmarca las casillas cuando no se marca «¿Modifica pólizas?»); Arriendo conserva las del contrato y sus Otros Sí");
        }
        plan.renewals.insert(row.id, number);
        self.report.imported(row.table);
        Ok(())
    }
}
