//! Sales reports with the amount the old system billed (traps 8 and 10), and the months where
//! Arriendo's rule would bill differently.

use rust_decimal::Decimal;

use arriendo_events::{ContratoCommand, Money, Percentage, YearMonth};

use super::{Origin, PlannedContract, Planner};
use crate::import::convert;
use crate::import::source::{Row, SourceError};

pub const RULE_BILLED: &str = "Facturación por ventas: el valor facturado del sistema anterior se conserva; en híbridos el sistema anterior guarda solo el excedente, Arriendo guarda el total del mes (mínimo vigente + excedente)";
pub const RULE_DEADLINE: &str = "Informes de ventas: la fecha límite se calcula con el día límite del contrato en el mes siguiente (la columna fecha_limite no se usa)";

impl Planner<'_> {
    /// The latest billing calculation of a month (trap 10: recalculating adds rows).
    fn calculation(
        src: &crate::import::source::Source,
        contract: i64,
        period: YearMonth,
    ) -> Option<&Row> {
        src.of_contract("gestion_calculofacturacionventas", contract)
            .into_iter()
            .filter(|c| {
                c.opt_int("mes").ok().flatten() == Some(i64::from(period.month()))
                    && c.opt_int("año").ok().flatten() == Some(i64::from(period.year()))
            })
            .max_by_key(|c| (c.opt_text("fecha_calculo"), c.id))
    }

    pub(super) fn sales_report(
        &mut self,
        contract: &Row,
        row: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        let year = i32::try_from(row.opt_int("año")?.unwrap_or(0)).unwrap_or(0);
        let month = u32::try_from(row.opt_int("mes")?.unwrap_or(0)).unwrap_or(0);
        let subject = format!("{} informe {month:02}/{year}", plan.number);
        let period = match YearMonth::new(year, month) {
            Ok(p) => p,
            Err(e) => {
                self.refuse(row, &subject, e);
                return Ok(());
            }
        };
        self.report.convert(RULE_DEADLINE);
        let user = row
            .opt_text("registrado_por")
            .unwrap_or_else(|| self.admin.username.clone());
        let origin = Origin::of(row, Some("fecha_registro"));
        let command = ContratoCommand::RegisterSalesReport {
            actor: self.admin.clone(),
            period,
            deadline: None,
        };
        if let Err(e) = self.exec(&mut plan.stream, &user, command, &origin) {
            self.refuse(row, &subject, e);
            return Ok(());
        }
        if row.opt_text("estado").as_deref() != Some("ENTREGADO") {
            self.report.imported(row.table);
            return Ok(());
        }
        let Some(calc) = Self::calculation(self.src, contract.id, period) else {
            self.report.imported(row.table);
            self.report.change(row.table, row.id, &subject, "entregado sin cálculo de facturación (sin ventas registradas): se importa pendiente");
            return Ok(());
        };
        let gross = convert::money(calc, "ventas_totales")?.unwrap_or(Money::ZERO);
        let returns = convert::money(calc, "devoluciones")?.unwrap_or(Money::ZERO);
        let variable = calc
            .opt_decimal("valor_a_facturar_variable", 2)?
            .unwrap_or_default();
        let hybrid =
            calc.opt_text("modalidad_contrato").as_deref() == Some("HIBRIDO_MIN_GARANTIZADO");
        let minimum = calc
            .opt_decimal("canon_minimo_garantizado_vigente", 2)?
            .unwrap_or_default();
        let billed_dec = if hybrid { minimum + variable } else { variable };
        let billed = Money::from_decimal_rounded(billed_dec)
            .map_err(|e| calc.problem("valor_a_facturar_variable", e.to_string()))?;
        self.report.convert(RULE_BILLED);
        let date = match row.opt_date("fecha_entrega")? {
            Some(d) => d,
            None => {
                self.report.change(
                    row.table,
                    row.id,
                    &subject,
                    "entregado sin fecha de entrega: se usa la fecha del cálculo de facturación",
                );
                calc.opt_datetime("fecha_calculo")?
                    .map(convert::bogota_date)
                    .unwrap_or(self.as_of)
            }
        };
        let own = plan
            .stream
            .state
            .bill_month(period, gross, returns)
            .map(|b| b.total);
        let command = ContratoCommand::RecordBilledSalesReport {
            actor: self.admin.clone(),
            period,
            date,
            gross_sales: gross,
            returns,
            billed,
        };
        if let Err(e) = self.exec(
            &mut plan.stream,
            &user,
            command,
            &Origin::of(calc, Some("fecha_calculo")),
        ) {
            self.refuse(row, &subject, e);
            return Ok(());
        }
        self.report.imported(row.table);
        self.report.imported(calc.table);
        if own != Some(billed) {
            let why = self.billing_why(plan, period, calc, hybrid, minimum);
            self.report.differ(
                &plan.number,
                format!("facturación {period}"),
                format!("{billed}"),
                own.map(|m| format!("{m} con la regla de Arriendo (se conserva {billed})"))
                    .unwrap_or_else(|| "sin facturación por ventas".into()),
                why,
            );
        }
        Ok(())
    }

    fn billing_why(
        &self,
        plan: &PlannedContract,
        period: YearMonth,
        calc: &Row,
        hybrid: bool,
        minimum: Decimal,
    ) -> String {
        let state = &plan.stream.state;
        let day = state.evaluation_day(period);
        if state.grace_canon_on(day).is_some() {
            return "mes en periodo de gracia: Arriendo cobra el canon de gracia ($ 0) como mínimo; el sistema anterior no calcula gracia".into();
        }
        let arriendo_min = state
            .modality_in_force(day)
            .and_then(|m| m.fixed_amount())
            .map(Money::to_decimal);
        if hybrid
            && arriendo_min != Some(minimum)
            && state.ajustes.iter().any(|a| a.effective_date <= day)
        {
            return format!(
                "el sistema anterior factura con el mínimo sin ajustar ({minimum}) e ignora los ajustes IPC aplicados; Arriendo usa el mínimo ajustado"
            );
        }
        let pct = calc
            .opt_decimal("porcentaje_ventas_vigente", 2)
            .ok()
            .flatten();
        if state
            .modality_in_force(day)
            .and_then(|m| m.sales_percentage())
            .map(Percentage::as_decimal)
            != pct
        {
            return "el porcentaje o el mínimo que usó el sistema anterior no es el vigente en Arriendo el último día del mes (Otro Sí aprobado con fecha posterior al cálculo)".into();
        }
        "diferencia de redondeo: el sistema anterior redondea el valor a centavos (mitad al par) y Arriendo a pesos (mitad hacia arriba)".into()
    }

    pub(super) fn calculations_without_report(&mut self, contract: &Row) {
        let reports: Vec<(Option<i64>, Option<i64>)> = self
            .src
            .of_contract("gestion_informeventas", contract.id)
            .iter()
            .map(|r| {
                (
                    r.opt_int("mes").ok().flatten(),
                    r.opt_int("año").ok().flatten(),
                )
            })
            .collect();
        let calcs = self
            .src
            .of_contract("gestion_calculofacturacionventas", contract.id);
        for calc in calcs {
            let key = (
                calc.opt_int("mes").ok().flatten(),
                calc.opt_int("año").ok().flatten(),
            );
            let period = YearMonth::new(
                i32::try_from(key.1.unwrap_or(0)).unwrap_or(0),
                u32::try_from(key.0.unwrap_or(0)).unwrap_or(0),
            );
            let latest = period
                .ok()
                .and_then(|p| Self::calculation(self.src, contract.id, p))
                .map(|c| c.id);
            let subject = format!(
                "{} cálculo {:02}/{}",
                contract.opt_text("num_contrato").unwrap_or_default(),
                key.0.unwrap_or(0),
                key.1.unwrap_or(0)
            );
            if !reports.contains(&key) {
                self.report.skip(
                    calc.table,
                    calc.id,
                    subject,
                    "cálculo de un mes sin informe de ventas: no hay entrega a la que asociarlo",
                );
            } else if latest != Some(calc.id) {
                self.report.skip(
                    calc.table,
                    calc.id,
                    subject,
                    "cálculo repetido del mismo mes: vale el más reciente",
                );
            }
        }
    }
}
