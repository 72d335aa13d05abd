//! A contract's base terms (traps 1, 6, 13): the rent box that holds the canon, required
//! policies counted from the start converted to months beyond the end, grace without a canon.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::{
    ContractKind, ContractTerms, ContratoCommand, CumplimientoCover, DateRange, GracePeriod, Money,
    PaymentModality, PolicyKind, PolicyRequirement, RceSublimits, add_months, format_date,
};

use super::{Origin, PlannedContract, Planner, Stream};
use crate::import::convert::{self, RuleParts};
use crate::import::source::{Row, SourceError};

pub const RULE_CANON: &str = "Canon de contratos fijos: valor_canon_fijo si es mayor que 0, si no canon_minimo_garantizado (la única casilla de canon del formulario)";
pub const RULE_POLICY_MONTHS: &str = "Pólizas requeridas: el sistema anterior cuenta los meses de vigencia desde el INICIO del contrato; Arriendo exige cubrir hasta el fin del contrato más los meses que pasen de ese fin (0 si el requisito terminaba antes)";
pub const RULE_GRACE: &str = "Periodo de gracia: el sistema anterior no calcula canon de gracia; Arriendo cobra $ 0 de canon fijo o mínimo durante la gracia (el porcentaje de ventas sigue aplicando)";

/// The five insurance families of a contract or Otro Sí row, with their column suffix.
pub const FAMILIES: [(&str, &str); 5] = [
    ("rce", "RCE"),
    ("cumplimiento", "Cumplimiento"),
    ("arrendamiento", "Arrendamiento"),
    ("todo_riesgo", "Todo riesgo"),
    ("otra_1", "Otra"),
];

pub fn family_kind(family: &str, other_name: &str) -> PolicyKind {
    match family {
        "rce" => PolicyKind::Rce,
        "cumplimiento" => PolicyKind::Cumplimiento,
        "arrendamiento" => PolicyKind::Arrendamiento,
        "todo_riesgo" => PolicyKind::TodoRiesgo,
        _ => PolicyKind::Otra(other_name.to_string()),
    }
}

/// RCE sub-limits of clients (`prefix` is `""` or `"nuevo_"`): moral and extra-patrimonial damages
/// are one sub-limit in Arriendo (the larger is kept).
pub fn rce_sublimits(row: &Row, prefix: &str) -> Result<Option<RceSublimits>, SourceError> {
    let m = |c: &str| convert::money(row, &format!("{prefix}{c}"));
    let moral = m("valor_dano_moral_rce")?;
    let extra = m("valor_perjuicios_extrapatrimoniales_rce")?;
    let s = RceSublimits {
        premises_operations: m("valor_propietario_locatario_ocupante_rce")?,
        employer_liability: m("valor_patronal_rce")?,
        medical_expenses: m("valor_gastos_medicos_rce")?,
        vehicles: m("valor_vehiculos_rce")?,
        contractors: m("valor_contratistas_rce")?,
        non_material_damages: moral.max(extra),
        lost_profit: m("valor_lucro_cesante_rce")?,
    };
    Ok((s != RceSublimits::default()).then_some(s))
}

/// Rent, utilities, VAT and administration cover of cumplimiento / arrendamiento.
pub fn cover(
    row: &Row,
    prefix: &str,
    family: &str,
) -> Result<Option<CumplimientoCover>, SourceError> {
    let m = |c: &str| convert::money(row, &format!("{prefix}valor_{c}_{family}"));
    let c = CumplimientoCover {
        rent: m("remuneraciones")?,
        utilities: m("servicios_publicos")?,
        vat: m("iva")?,
        admin_fee: m("otros")?,
    };
    Ok((c != CumplimientoCover::default()).then_some(c))
}

/// The requirement of one family as a contract (prefix `""`) or Otro Sí (`"nuevo_"`) row states
/// it, given the end the months are counted beyond and the date the source's months run from
/// when the row has no dates of its own. Returns the requirement and the source's required-until.
pub fn requirement(
    row: &Row,
    prefix: &str,
    family: &str,
    other_name: &str,
    end: NaiveDate,
    months_from: NaiveDate,
) -> Result<(PolicyRequirement, NaiveDate), SourceError> {
    let months = row
        .opt_int(&format!("{prefix}meses_vigencia_{family}"))?
        .unwrap_or(0)
        .max(0);
    let until = match row.opt_date(&format!("{prefix}fecha_fin_vigencia_{family}"))? {
        Some(d) => d,
        None => add_months(months_from, i32::try_from(months).unwrap_or(0)),
    };
    let kind = family_kind(family, other_name);
    Ok((
        PolicyRequirement {
            minimum_insured: convert::money(row, &format!("{prefix}valor_asegurado_{family}"))?
                .unwrap_or(Money::ZERO),
            months_of_cover: convert::months_between(end, until),
            rce_sublimits: if kind == PolicyKind::Rce {
                rce_sublimits(row, prefix)?
            } else {
                None
            },
            cumplimiento_cover: match family {
                "cumplimiento" | "arrendamiento" => cover(row, prefix, family)?,
                _ => None,
            },
            kind,
        },
        until,
    ))
}

impl Planner<'_> {
    pub(super) fn contracts(&mut self) {
        let rows: Vec<&Row> = self.src.rows("gestion_contrato").iter().collect();
        for row in rows {
            let number = row.opt_text("num_contrato").unwrap_or_default();
            let terms = match self.terms(row, &number) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(e) => {
                    self.source_error(&number, e);
                    continue;
                }
            };
            if !self.numbers.insert(number.to_lowercase()) {
                self.refuse(row, &number, "número de contrato repetido");
                continue;
            }
            let mut plan = PlannedContract {
                row_id: row.id,
                number: number.clone(),
                stream: Stream::new(Uuid::new_v4().to_string()),
                otro_si: HashMap::new(),
                renewals: HashMap::new(),
                polizas: HashMap::new(),
            };
            let command = ContratoCommand::CreateContract {
                actor: self.admin.clone(),
                terms,
            };
            let user = self.admin.username.clone();
            if let Err(e) = self.exec(
                &mut plan.stream,
                &user,
                command,
                &Origin::of(row, Some("fecha_creacion")),
            ) {
                self.refuse(row, &number, e);
                continue;
            }
            self.report.imported(row.table);
            self.documents(row, &mut plan);
            self.records(row, &mut plan);
            self.contracts.push(plan);
        }
    }

    fn terms(&mut self, row: &Row, number: &str) -> Result<Option<ContractTerms>, SourceError> {
        let cp = row
            .opt_text("tipo_contrato_cliente_proveedor")
            .unwrap_or_default();
        let kind = match cp.as_str() {
            "CLIENTE" => ContractKind::Cliente,
            "PROVEEDOR" => ContractKind::Proveedor,
            _ => {
                return Err(row.problem(
                    "tipo_contrato_cliente_proveedor",
                    format!("valor desconocido {cp:?}"),
                ));
            }
        };
        let tercero_column = if kind == ContractKind::Cliente {
            "arrendatario_id"
        } else {
            "proveedor_id"
        };
        let Some(&(tercero_id, tercero_kind)) = row
            .opt_int(tercero_column)?
            .and_then(|id| self.terceros.get(&id))
        else {
            self.refuse(
                row,
                number,
                format!("{tercero_column}: el tercero no existe o no se pudo importar"),
            );
            return Ok(None);
        };
        if tercero_kind != kind.counterparty() {
            self.report.change(
                row.table,
                row.id,
                number,
                "el tercero es de otra clase que el contrato (así está en el sistema anterior)",
            );
        }
        let local_id = match row.opt_int("local_id")? {
            None => None,
            Some(id) => match self.locales.get(&id) {
                Some(l) => Some(*l),
                None => {
                    self.refuse(
                        row,
                        number,
                        "local_id: el local no existe o no se pudo importar",
                    );
                    return Ok(None);
                }
            },
        };
        let start = row.date("fecha_inicial_contrato")?;
        let end = row.date("fecha_final_inicial")?;
        let modality = self.modality(row, number)?;
        let Some(modality) = modality else {
            return Ok(None);
        };
        let due_day = if modality.is_sales_based() {
            match row.opt_int("dia_limite_reporte_ventas")?.filter(|d| *d > 0) {
                Some(d) if d <= 28 => Some(u8::try_from(d).unwrap_or(28)),
                Some(d) => {
                    self.report.change(row.table, row.id, number, format!("día límite del informe de ventas {d}: Arriendo admite hasta el 28; se usa 28"));
                    Some(28)
                }
                None => {
                    self.report.change(
                        row.table,
                        row.id,
                        number,
                        "sin día límite del informe de ventas: se usa el 28 del mes siguiente",
                    );
                    Some(28)
                }
            }
        } else {
            None
        };
        let (adjustment, notes) = convert::adjustment_rule(RuleParts {
            tipo: row.opt_text("tipo_condicion_ipc").as_deref(),
            points: row.opt_decimal("puntos_adicionales_ipc", 2)?,
            periodicity: row.opt_text("periodicidad_ipc").as_deref(),
            date: row.opt_date("fecha_aumento_ipc")?,
            start,
        })
        .map_err(|e| row.problem("tipo_condicion_ipc", e))?;
        for note in notes {
            self.report.change(row.table, row.id, number, note);
        }
        let grace_period = self.grace(row, number, start, end)?;
        let required_policies = self.contract_requirements(row, number, start, end)?;
        let mut penalty = vec![];
        for (column, label) in [
            (
                "clausula_penal_incumplimiento",
                "Cláusula penal por incumplimiento",
            ),
            (
                "penalidad_terminacion_anticipada",
                "Penalidad por terminación anticipada",
            ),
            (
                "multa_mora_no_restitucion",
                "Multa por mora en la restitución",
            ),
        ] {
            if let Some(m) = convert::money(row, column)? {
                penalty.push(format!("{label}: {m}"));
            }
        }
        if !penalty.is_empty() {
            self.report.convert("Cláusulas penales en pesos (penal, terminación anticipada, mora en la restitución) se guardan como texto de la cláusula penal");
        }
        let duration = row.opt_int("duracion_inicial_meses")?.unwrap_or(12);
        Ok(Some(ContractTerms {
            number: number.to_string(),
            kind,
            purpose: row.text("objeto_destinacion")?,
            tercero_id,
            local_id,
            signing_date: row.date("fecha_firma")?,
            start_date: start,
            initial_duration_months: u32::try_from(duration)
                .map_err(|_| row.problem("duracion_inicial_meses", "negativa"))?,
            end_date: end,
            automatic_extension: row.flag("prorroga_automatica")?,
            preaviso_days: u32::try_from(row.opt_int("dias_preaviso_no_renovacion")?.unwrap_or(60))
                .map_err(|_| row.problem("dias_preaviso_no_renovacion", "negativo"))?,
            early_termination_notice_days: u32::try_from(
                row.opt_int("dias_terminacion_anticipada")?.unwrap_or(60),
            )
            .map_err(|_| row.problem("dias_terminacion_anticipada", "negativo"))?,
            modality,
            sales_report_due_day: due_day,
            adjustment,
            grace_period,
            required_policies,
            penalty_clause: penalty.join("; "),
            late_payment_interest: row.opt_text("interes_mora_pagos").unwrap_or_default(),
            signed_document_url: row.opt_text("url_archivo"),
            type_id: self.contract_type(row, arriendo_events::TypeCatalog::of(kind)),
        }))
    }

    fn modality(
        &mut self,
        row: &Row,
        number: &str,
    ) -> Result<Option<PaymentModality>, SourceError> {
        let fixed = convert::money(row, "valor_canon_fijo")?;
        let minimum = convert::money(row, "canon_minimo_garantizado")?;
        let pct = convert::percentage(row, "porcentaje_ventas")?;
        if convert::has_cents(row, "valor_canon_fijo")?
            || convert::has_cents(row, "canon_minimo_garantizado")?
        {
            self.report.convert(convert::RULE_CENTS);
        }
        let modality = match row.opt_text("modalidad_pago").as_deref() {
            Some("Fijo") | None => {
                self.report.convert(RULE_CANON);
                fixed
                    .or(minimum)
                    .map(|canon| PaymentModality::Fijo { canon })
            }
            Some("Variable Puro") => {
                pct.map(|percentage| PaymentModality::VariablePuro { percentage })
            }
            Some("Hibrido (Min Garantizado)") => {
                if fixed.is_some() {
                    self.report.change(row.table, row.id, number, "híbrido con valor_canon_fijo además del mínimo: el mínimo garantizado es canon_minimo_garantizado; valor_canon_fijo no se usa");
                }
                match (minimum, pct) {
                    (Some(minimum), Some(percentage)) => Some(PaymentModality::Hibrido {
                        minimum,
                        percentage,
                    }),
                    _ => None,
                }
            }
            Some(other) => {
                self.refuse(
                    row,
                    number,
                    format!("modalidad de pago desconocida {other:?}"),
                );
                return Ok(None);
            }
        };
        if modality.is_none() {
            self.refuse(
                row,
                number,
                "la modalidad de pago no tiene canon o porcentaje de ventas",
            );
        }
        Ok(modality)
    }

    fn grace(
        &mut self,
        row: &Row,
        number: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Option<GracePeriod>, SourceError> {
        let flag = row.flag("tiene_periodo_gracia")?;
        let from = row.opt_date("fecha_inicio_periodo_gracia")?;
        let to = row.opt_date("fecha_fin_periodo_gracia")?;
        let (from, to) = match (flag, from, to) {
            (false, None, None) => return Ok(None),
            (false, _, _) => {
                self.report.change(row.table, row.id, number, "fechas de periodo de gracia sin la casilla «tiene periodo de gracia»: no se importa gracia");
                return Ok(None);
            }
            (true, Some(f), Some(t)) => (f, t),
            (true, _, _) => {
                self.report.change(
                    row.table,
                    row.id,
                    number,
                    "periodo de gracia marcado sin fecha de inicio y de fin: no se importa gracia",
                );
                return Ok(None);
            }
        };
        let Ok(period) = DateRange::new(from, to) else {
            self.report.change(
                row.table,
                row.id,
                number,
                format!(
                    "periodo de gracia {} – {} con el fin antes del inicio: no se importa gracia",
                    format_date(from),
                    format_date(to)
                ),
            );
            return Ok(None);
        };
        if from < start || to > end {
            self.report.change(row.table, row.id, number, format!("periodo de gracia {} – {} fuera de la vigencia del contrato: no se importa gracia", format_date(from), format_date(to)));
            return Ok(None);
        }
        self.report.convert(RULE_GRACE);
        let condition = row.opt_text("condicion_gracia").unwrap_or_else(|| {
            self.report.convert("Periodo de gracia sin condición escrita: se anota «Periodo de gracia del sistema anterior»");
            "Periodo de gracia del sistema anterior".to_string()
        });
        Ok(Some(GracePeriod {
            period,
            canon: Money::ZERO,
            condition,
        }))
    }

    fn contract_requirements(
        &mut self,
        row: &Row,
        number: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<PolicyRequirement>, SourceError> {
        let other_name = row
            .opt_text("nombre_poliza_otra_1")
            .unwrap_or_else(|| "Otra".into());
        let mut out = vec![];
        for (family, label) in FAMILIES {
            if !row.flag(&format!("exige_poliza_{family}"))? {
                continue;
            }
            let (req, until) = requirement(row, "", family, &other_name, end, start)?;
            self.report.convert(RULE_POLICY_MONTHS);
            if until < end {
                self.report.change(row.table, row.id, number, format!(
                    "póliza {label}: el sistema anterior la exige hasta el {} (meses contados desde el inicio); Arriendo la exige hasta el fin del contrato ({})",
                    format_date(until), format_date(end)
                ));
            }
            out.push(req);
        }
        Ok(out)
    }
}
