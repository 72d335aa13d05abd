//! `gestion_configuracionempresa` → the company's data (the active row; if several, the latest).

use arriendo_events::{COMPANY_ID, CompanyData, Email, Empresa, EmpresaCommand};

use super::{Origin, Planner, Stream};
use crate::import::convert;

const TABLE: &str = "gestion_configuracionempresa";

impl Planner<'_> {
    pub(super) fn company(&mut self) {
        let rows = self.src.rows(TABLE);
        let active = rows
            .iter()
            .filter(|r| r.flag("activo").unwrap_or(false))
            .max_by_key(|r| (r.opt_datetime("fecha_creacion").ok().flatten(), r.id));
        for row in rows {
            if active.is_some_and(|a| a.id == row.id) {
                continue;
            }
            self.report.skip(
                TABLE,
                row.id,
                "datos de la empresa",
                "fila inactiva: el sistema anterior usa solo la fila activa más reciente",
            );
        }
        let Some(row) = active else {
            return;
        };
        let subject = "datos de la empresa";
        let (nit, nit_note) = match convert::nit_in(row, "nit_empresa") {
            Ok(v) => v,
            Err(e) => {
                self.source_error(subject, e);
                return;
            }
        };
        if let Some(note) = nit_note {
            self.report.change(TABLE, row.id, subject, note);
        }
        let email = match row.opt_text("email") {
            None => None,
            Some(text) => match Email::parse(&text) {
                Ok(e) => Some(e),
                Err(e) => {
                    self.report
                        .change(TABLE, row.id, subject, format!("correo omitido: {e}"));
                    None
                }
            },
        };
        let data = CompanyData {
            name: row.opt_text("nombre_empresa").unwrap_or_default(),
            nit,
            legal_representative: row.opt_text("representante_legal").unwrap_or_default(),
            address: row.opt_text("direccion").unwrap_or_default(),
            phone: row.opt_text("telefono").unwrap_or_default(),
            email,
        };
        let mut stream: Stream<Empresa> = Stream::new(COMPANY_ID.to_string());
        let command = EmpresaCommand::RecordCompanyData {
            actor: self.admin.clone(),
            data,
            expected_version: 0,
        };
        let user = self.admin.username.clone();
        match self.exec(
            &mut stream,
            &user,
            command,
            &Origin::of(row, Some("fecha_modificacion")),
        ) {
            Ok(()) => self.report.imported(TABLE),
            Err(e) => self.refuse(row, subject, e),
        }
        self.report.convert(
            "Datos de la empresa: se importa la fila activa de gestion_configuracionempresa; el logo no existe en el sistema anterior y se sube en «Empresa»",
        );
    }
}
