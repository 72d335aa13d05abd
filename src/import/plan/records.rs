//! What hangs from a contract after its documents: applied adjustments, pólizas, sales reports
//! with the amount billed, follow-up notes, and the closing of contracts marked not in force.

use chrono::NaiveDate;
use uuid::Uuid;

use arriendo_events::{
    ContratoCommand, DateRange, Money, Percentage, PolizaData, RequiredBy, adjust_canon,
    format_date,
};

use super::{Origin, PlannedContract, Planner};
use crate::import::convert;
use crate::import::source::{Row, SourceError};

/// One kind of row hanging from a contract, and how it is brought over.
type Step<'a> = fn(&mut Planner<'a>, &Row, &Row, &mut PlannedContract) -> Result<(), SourceError>;

impl Planner<'_> {
    pub(super) fn records(&mut self, contract: &Row, plan: &mut PlannedContract) {
        let steps: [(&str, Step); 6] = [
            ("gestion_calculoipc", Self::adjustment),
            ("gestion_calculosalariominimo", Self::adjustment),
            ("gestion_poliza", Self::poliza),
            ("gestion_seguimientopoliza", Self::poliza_note),
            ("gestion_informeventas", Self::sales_report),
            ("gestion_seguimientocontrato", Self::contract_note),
        ];
        for (table, step) in steps {
            let mut rows = self.src.of_contract(table, contract.id);
            if table.starts_with("gestion_calculo") {
                rows.sort_by_key(|r| r.opt_date("fecha_aplicacion").ok().flatten());
            }
            if table == "gestion_informeventas" {
                rows.sort_by_key(|r| {
                    (
                        r.opt_int("año").ok().flatten(),
                        r.opt_int("mes").ok().flatten(),
                    )
                });
            }
            for row in rows {
                if let Err(e) = step(self, contract, row, plan) {
                    let subject = plan.number.clone();
                    self.source_error(&subject, e);
                }
            }
        }
        self.calculations_without_report(contract);
        if let Err(e) = self.close_if_not_in_force(contract, plan) {
            self.source_error(&plan.number.clone(), e);
        }
    }

    fn adjustment(
        &mut self,
        _contract: &Row,
        row: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        let date = row.date("fecha_aplicacion")?;
        let year = i32::try_from(row.opt_int("año_aplicacion")?.unwrap_or(0)).unwrap_or(0);
        let smlv = row.table == "gestion_calculosalariominimo";
        let subject = format!(
            "{} ajuste {} {year}",
            plan.number,
            if smlv { "salario mínimo" } else { "IPC" }
        );
        if row.opt_text("estado").as_deref() != Some("APLICADO") {
            self.report.skip(row.table, row.id, &subject, "cálculo no aplicado (propuesta): Arriendo calcula y muestra por su cuenta los ajustes pendientes");
            return Ok(());
        }
        let index_value = if smlv {
            row.opt_decimal("porcentaje_salario_minimo", 2)?
        } else {
            let ipc_id = row.opt_int("ipc_historico_id")?;
            self.src
                .rows("gestion_ipchistorico")
                .iter()
                .find(|h| Some(h.id) == ipc_id)
                .map(|h| h.opt_decimal("valor_ipc", 2))
                .transpose()?
                .flatten()
        }
        .unwrap_or_default();
        let index_value =
            Percentage::new(index_value).map_err(|e| row.problem("valor_ipc", e.to_string()))?;
        let increase = row
            .opt_decimal("porcentaje_total_aplicar", 2)?
            .unwrap_or_default();
        let previous = convert::money(row, "canon_anterior")?.unwrap_or(Money::ZERO);
        let new = convert::money(row, "nuevo_canon")?.unwrap_or(Money::ZERO);
        if convert::has_cents(row, "nuevo_canon")? || convert::has_cents(row, "canon_anterior")? {
            self.report.convert(convert::RULE_CENTS);
        }
        let state = &plan.stream.state;
        let in_force = state.modality_in_force(date).and_then(|m| m.fixed_amount());
        let rule = state.adjustment_rule_in_force(date);
        let own = match (in_force, rule) {
            (Some(base), Some(rule)) => adjust_canon(base, rule.index.increase(index_value)).ok(),
            _ => None,
        };
        let command = ContratoCommand::RecordPastCanonAdjustment {
            actor: self.admin.clone(),
            year,
            index_value,
            increase,
            previous_canon: previous,
            new_canon: new,
            effective_date: date,
        };
        let user = row
            .opt_text("aplicado_por")
            .unwrap_or_else(|| self.admin.username.clone());
        match self.exec(
            &mut plan.stream,
            &user,
            command,
            &Origin::of(row, Some("fecha_aplicacion_real")),
        ) {
            Ok(()) => {
                self.report.imported(row.table);
                self.report.convert("Ajustes aplicados: se guardan con el canon anterior, el porcentaje y el canon nuevo que aplicó el sistema anterior (lo cobrado es un hecho)");
                if let Some(own) = own.filter(|own| *own != new) {
                    let why = row
                        .opt_text("observaciones")
                        .map(|o| format!(" Observación del sistema anterior: {o}"))
                        .unwrap_or_default();
                    self.report.change(row.table, row.id, &subject, format!(
                        "el sistema anterior aplicó {previous} → {new} ({increase} %, base «{}»); con la regla de Arriendo sobre el canon vigente {} daría {own}.{why}",
                        row.opt_text("fuente_canon_anterior").unwrap_or_default(),
                        in_force.map(|m| m.to_string()).unwrap_or_default()
                    ));
                }
            }
            Err(e) => self.refuse(row, &subject, e),
        }
        Ok(())
    }

    fn poliza(
        &mut self,
        contract: &Row,
        row: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        let number = row.opt_text("numero_poliza").unwrap_or_default();
        let subject = format!("{} póliza {number}", plan.number);
        let other = contract
            .opt_text("nombre_poliza_otra_1")
            .unwrap_or_else(|| "Otra".into());
        let tipo = row.opt_text("tipo").unwrap_or_default();
        let Some(kind) = convert::poliza_kind(&tipo, &other) else {
            self.refuse(
                row,
                &subject,
                format!("tipo de póliza desconocido {tipo:?}"),
            );
            return Ok(());
        };
        if tipo == "Arrendamiento" || tipo == "Poliza de Arrendamiento" {
            self.report.convert("Tipos de póliza: «Arrendamiento» del sistema anterior es todo riesgo y «Poliza de Arrendamiento» es la de arrendamiento (como los lee la aplicación anterior)");
        }
        let from = row.date("fecha_inicio_vigencia")?;
        let to = row.date("fecha_vencimiento")?;
        let Ok(validity) = DateRange::new(from, to) else {
            self.report.skip(row.table, row.id, &subject, format!("vigencia del {} al {}: el vencimiento no es posterior al inicio; Arriendo no admite una póliza así", format_date(from), format_date(to)));
            return Ok(());
        };
        let state = match row.opt_text("estado_aportado") {
            Some(e) => convert::poliza_state(&e).unwrap_or_else(|| {
                self.report.change(
                    row.table,
                    row.id,
                    &subject,
                    format!("estado «{e}»: se importa como aporte inicial"),
                );
                arriendo_events::PolizaState::AporteInicial
            }),
            None => arriendo_events::PolizaState::AporteInicial,
        };
        let required_by = if let Some(os) = row.opt_int("otrosi_id")? {
            match plan.otro_si.get(&os) {
                Some(n) => RequiredBy::OtroSi(*n),
                None => {
                    self.report.change(row.table, row.id, &subject, "exigida por un Otro Sí que se importó como nota: queda exigida por el contrato");
                    RequiredBy::Contract
                }
            }
        } else if let Some(ra) = row.opt_int("renovacion_automatica_id")? {
            match plan.renewals.get(&ra) {
                Some(n) => RequiredBy::Renovacion(*n),
                None => RequiredBy::Contract,
            }
        } else {
            RequiredBy::Contract
        };
        let colchon = if row.flag("tiene_colchon")? {
            row.opt_int("meses_colchon")?.unwrap_or(0)
        } else {
            0
        };
        if colchon > 0 {
            self.report.convert("Colchón de pólizas: la fecha de vencimiento impresa se conserva y los meses de colchón la adelantan (igual que fecha_vencimiento_real)");
        }
        let insurer = row.opt_text("aseguradora").unwrap_or_else(|| {
            self.report.change(
                row.table,
                row.id,
                &subject,
                "sin aseguradora: se anota «Sin dato en el sistema anterior»",
            );
            "Sin dato en el sistema anterior".into()
        });
        let data = PolizaData {
            rce_sublimits: if kind == arriendo_events::PolicyKind::Rce {
                super::contract::rce_sublimits(row, "")?
            } else {
                None
            },
            cumplimiento_cover: match tipo.as_str() {
                "Cumplimiento" => super::contract::cover(row, "", "cumplimiento")?,
                "Poliza de Arrendamiento" => super::contract::cover(row, "", "arrendamiento")?,
                _ => None,
            },
            kind,
            number,
            insurer,
            insured_value: convert::money(row, "valor_asegurado")?.unwrap_or(Money::ZERO),
            validity,
            state,
            required_by,
            colchon_months: u32::try_from(colchon).unwrap_or(0),
        };
        let id = Uuid::new_v4();
        let command = ContratoCommand::RegisterPoliza {
            actor: self.admin.clone(),
            id,
            poliza: data,
        };
        let user = self.admin.username.clone();
        match self.exec(
            &mut plan.stream,
            &user,
            command,
            &Origin::of(row, Some("fecha_creacion")),
        ) {
            Ok(()) => {
                plan.polizas.insert(row.id, id);
                self.report.imported(row.table);
            }
            Err(e) => self.refuse(row, &subject, e),
        }
        Ok(())
    }

    fn note_date(&mut self, row: &Row) -> Result<NaiveDate, SourceError> {
        self.report.convert(convert::RULE_DATETIME);
        Ok(row
            .opt_datetime("fecha_registro")?
            .map(convert::bogota_date)
            .unwrap_or(self.as_of))
    }

    fn poliza_note(
        &mut self,
        _contract: &Row,
        row: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        let subject = format!("{} seguimiento de póliza", plan.number);
        let date = self.note_date(row)?;
        let detail = row.text("detalle")?;
        let actor = arriendo_events::Actor::new(
            row.opt_text("registrado_por")
                .unwrap_or_else(|| self.admin.username.clone()),
            arriendo_events::Role::Gestor,
        );
        let user = actor.username.clone();
        let command = match row.opt_int("poliza_id")?.and_then(|p| plan.polizas.get(&p)) {
            Some(id) => ContratoCommand::AddPolizaSeguimiento {
                actor,
                id: *id,
                date,
                note: detail,
                follow_up: None,
            },
            None => {
                self.report.convert("Seguimientos de pólizas sin póliza (sobre una póliza requerida que falta): se importan como seguimiento del contrato con el tipo de póliza al inicio");
                let tipo = row.opt_text("poliza_tipo").unwrap_or_default();
                ContratoCommand::AddSeguimiento {
                    actor,
                    date,
                    note: format!("[Póliza {tipo}] {detail}"),
                    follow_up: None,
                }
            }
        };
        match self.exec(
            &mut plan.stream,
            &user,
            command,
            &Origin::of(row, Some("fecha_registro")),
        ) {
            Ok(()) => self.report.imported(row.table),
            Err(e) => self.refuse(row, &subject, e),
        }
        Ok(())
    }

    fn contract_note(
        &mut self,
        _contract: &Row,
        row: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        let subject = format!("{} seguimiento", plan.number);
        let date = self.note_date(row)?;
        let actor = arriendo_events::Actor::new(
            row.opt_text("registrado_por")
                .unwrap_or_else(|| self.admin.username.clone()),
            arriendo_events::Role::Gestor,
        );
        let user = actor.username.clone();
        let command = ContratoCommand::AddSeguimiento {
            actor,
            date,
            note: row.text("detalle")?,
            follow_up: None,
        };
        match self.exec(
            &mut plan.stream,
            &user,
            command,
            &Origin::of(row, Some("fecha_registro")),
        ) {
            Ok(()) => self.report.imported(row.table),
            Err(e) => self.refuse(row, &subject, e),
        }
        Ok(())
    }

    /// trap 4: `vigente = 0` closes a contract in the old system whatever its dates.
    fn close_if_not_in_force(
        &mut self,
        contract: &Row,
        plan: &mut PlannedContract,
    ) -> Result<(), SourceError> {
        if contract.flag("vigente")? {
            return Ok(());
        }
        let Some(terms) = plan.stream.state.terms.clone() else {
            return Ok(());
        };
        let end = plan
            .stream
            .state
            .end_date_in_force(self.as_of)
            .unwrap_or(terms.end_date);
        let date = end.min(self.as_of).max(terms.start_date);
        let command = ContratoCommand::TerminateContract {
            actor: self.admin.clone(),
            date,
            reason: "Marcado como no vigente en el sistema anterior".into(),
        };
        let user = self.admin.username.clone();
        match self.exec(
            &mut plan.stream,
            &user,
            command,
            &Origin::of(contract, Some("fecha_modificacion")),
        ) {
            Ok(()) => {
                self.report.convert("Contratos con vigente = 0 (cerrados a mano en el sistema anterior) se terminan en Arriendo el día de su fin vigente o el día de la importación si es anterior");
                self.report.change(
                    contract.table,
                    contract.id,
                    &plan.number,
                    format!("vigente = 0: se termina el {}", format_date(date)),
                );
            }
            Err(e) => self.refuse(contract, &plan.number, e),
        }
        Ok(())
    }
}
