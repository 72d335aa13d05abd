//! Users, index values, terceros and locales: the streams contracts refer to.

use uuid::Uuid;

use arriendo_events::{
    Area, Email, IndexKind, IndiceCommand, Local, LocalCommand, LocalData, Tercero, TerceroCommand,
    TerceroData, TerceroKind,
};

use super::{NewUser, Origin, Planner, Stream};
use crate::import::convert;
use crate::import::report::NotImported;

impl Planner<'_> {
    /// Accounts the caller accepted (it reported why the others stay out).
    pub(super) fn users(&mut self, users: &[NewUser]) {
        for row in self.src.rows("auth_user") {
            if let Some(user) = users.iter().find(|u| u.row_id == row.id) {
                self.push_user(user, &Origin::of(row, Some("date_joined")));
                self.report.imported("auth_user");
                self.report.convert("Usuarios sin contraseña: cada uno recibe una contraseña temporal que se muestra una sola vez al importar; is_superuser → administrador, los demás → gestor");
            }
        }
    }

    pub(super) fn indices(&mut self) {
        let mut ipc: Stream<arriendo_events::Indice> = Stream::new(IndexKind::Ipc.stream_id());
        for row in self.src.rows("gestion_ipchistorico") {
            let year = row.opt_int("año").ok().flatten().unwrap_or(0);
            let subject = format!("IPC {year}");
            let value = match convert::percentage(row, "valor_ipc") {
                Ok(v) => v.unwrap_or(arriendo_events::Percentage::ZERO),
                Err(e) => {
                    self.source_error(&subject, e);
                    continue;
                }
            };
            let command = IndiceCommand::RecordIndexValue {
                actor: self.admin.clone(),
                kind: IndexKind::Ipc,
                year: i32::try_from(year).unwrap_or(0),
                value,
            };
            let user = self.admin.username.clone();
            match self.exec(
                &mut ipc,
                &user,
                command,
                &Origin::of(row, Some("fecha_creacion")),
            ) {
                Ok(()) => self.report.imported(row.table),
                Err(e) => self.refuse(row, &subject, e),
            }
        }
        let mut smlv: Stream<arriendo_events::Indice> =
            Stream::new(IndexKind::SalarioMinimo.stream_id());
        for row in self.src.rows("gestion_salariominimohistorico") {
            let year = row.opt_int("año").ok().flatten().unwrap_or(0);
            let subject = format!("salario mínimo {year}");
            let variation = match row.opt_decimal("variacion_porcentual", 2) {
                Ok(v) => v,
                Err(e) => {
                    self.source_error(&subject, e);
                    continue;
                }
            };
            let Some(variation) = variation else {
                self.report.skip(
                    row.table,
                    row.id,
                    &subject,
                    "primer año cargado: el sistema anterior no tiene su variación y Arriendo guarda solo la variación anual",
                );
                continue;
            };
            let value = match arriendo_events::Percentage::new(variation) {
                Ok(v) => v,
                Err(e) => {
                    self.refuse(row, &subject, e);
                    continue;
                }
            };
            self.report.convert(
                "Salario mínimo: Arriendo guarda la variación anual (%), no el valor en pesos",
            );
            let command = IndiceCommand::RecordIndexValue {
                actor: self.admin.clone(),
                kind: IndexKind::SalarioMinimo,
                year: i32::try_from(year).unwrap_or(0),
                value,
            };
            let user = self.admin.username.clone();
            match self.exec(
                &mut smlv,
                &user,
                command,
                &Origin::of(row, Some("fecha_creacion")),
            ) {
                Ok(()) => self.report.imported(row.table),
                Err(e) => self.refuse(row, &subject, e),
            }
        }
    }

    pub(super) fn terceros(&mut self) {
        for row in self.src.rows("gestion_tercero") {
            let subject = format!(
                "tercero {} ({})",
                row.opt_text("razon_social").unwrap_or_default(),
                row.opt_text("nit").unwrap_or_default()
            );
            let kind = match row.opt_text("tipo").as_deref() {
                Some("ARRENDATARIO") => TerceroKind::Arrendatario,
                Some("PROVEEDOR") => TerceroKind::Proveedor,
                other => {
                    self.refuse(
                        row,
                        &subject,
                        format!("tipo de tercero desconocido {other:?}"),
                    );
                    continue;
                }
            };
            let (nit, nit_note) = match convert::nit(row) {
                Ok(v) => v,
                Err(e) => {
                    self.source_error(&subject, e);
                    continue;
                }
            };
            if let Some(note) = nit_note {
                self.report.change(row.table, row.id, &subject, note);
            }
            let email = match row.opt_text("email_supervisor_op") {
                None => None,
                Some(text) => match Email::parse(&text) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        self.report.change(
                            row.table,
                            row.id,
                            &subject,
                            format!("correo del supervisor no válido ({e}): no se importa"),
                        );
                        None
                    }
                },
            };
            if !self.nits.insert((kind, nit.number().to_string())) {
                self.refuse(row, &subject, "NIT repetido para la misma clase de tercero");
                continue;
            }
            let data = TerceroData {
                nit,
                razon_social: row.opt_text("razon_social").unwrap_or_default(),
                kind,
                legal_representative: row.opt_text("nombre_rep_legal"),
                supervisor_name: row.opt_text("nombre_supervisor_op"),
                supervisor_email: email,
            };
            let id = Uuid::new_v4();
            let mut stream: Stream<Tercero> = Stream::new(id.to_string());
            let command = TerceroCommand::RegisterTercero {
                actor: self.admin.clone(),
                data,
            };
            let user = self.admin.username.clone();
            match self.exec(
                &mut stream,
                &user,
                command,
                &Origin::of(row, Some("fecha_creacion")),
            ) {
                Ok(()) => {
                    self.report.imported(row.table);
                    self.terceros.insert(row.id, (id, kind));
                }
                Err(e) => self.refuse(row, &subject, e),
            }
        }
        let same_company = self
            .nits
            .iter()
            .filter(|(k, n)| {
                *k == TerceroKind::Arrendatario
                    && self.nits.contains(&(TerceroKind::Proveedor, n.clone()))
            })
            .count();
        if same_company > 0 {
            self.report.convert("Una misma empresa registrada como arrendatario y como proveedor (mismo NIT) se importa como dos terceros, uno por clase, igual que en el sistema anterior");
        }
    }

    pub(super) fn locales(&mut self) {
        for row in self.src.rows("gestion_local") {
            let name = row.opt_text("nombre_comercial_stand").unwrap_or_default();
            let subject = format!("local {name}");
            let area = match row.opt_decimal("total_area_m2", 2) {
                Ok(Some(a)) => a,
                Ok(None) => rust_decimal::Decimal::ZERO,
                Err(e) => {
                    self.source_error(&subject, e);
                    continue;
                }
            };
            let area_m2 = match Area::new(area) {
                Ok(a) => a,
                Err(e) => {
                    self.refuse(row, &subject, format!("área {area}: {e}"));
                    continue;
                }
            };
            if !self.local_names.insert(name.to_lowercase()) {
                self.refuse(row, &subject, "nombre comercial repetido");
                continue;
            }
            let data = LocalData {
                name,
                location: row
                    .opt_text("ubicacion")
                    .unwrap_or_else(|| "No especificada".into()),
                area_m2,
            };
            let id = Uuid::new_v4();
            let mut stream: Stream<Local> = Stream::new(id.to_string());
            let command = LocalCommand::RegisterLocal {
                actor: self.admin.clone(),
                data,
            };
            let user = self.admin.username.clone();
            match self.exec(
                &mut stream,
                &user,
                command,
                &Origin::of(row, Some("fecha_creacion")),
            ) {
                Ok(()) => {
                    self.report.imported(row.table);
                    self.locales.insert(row.id, id);
                }
                Err(e) => self.refuse(row, &subject, e),
            }
        }
    }

    /// Tables Arriendo does not model yet, each with its count and the reason.
    pub(super) fn not_modelled(&mut self) {
        const WHY: &[(&str, &str)] = &[
            (
                "gestion_requerimientopoliza",
                "no importado: tabla histórica que ninguna pantalla escribe; los requisitos salen de las columnas exige_poliza_* del contrato y de sus Otro Sí",
            ),
            (
                "gestion_tipocondicionipc",
                "no importado: catálogo de códigos; los códigos IPC y SALARIO_MINIMO se traducen a la regla de ajuste de Arriendo",
            ),
            (
                "gestion_periodicidadipc",
                "no importado: catálogo de códigos; ANUAL y FECHA_ESPECIFICA se traducen a la fecha de ajuste de Arriendo",
            ),
            (
                "gestion_clientelicense",
                "no importado: licencia del producto anterior, no son datos del negocio",
            ),
        ];
        for (table, reason) in WHY {
            let rows = self.src.rows(table).len();
            self.report.count(table).skipped = rows;
            self.report.not_imported.push(NotImported {
                table: (*table).to_string(),
                rows,
                reason: (*reason).to_string(),
            });
        }
    }
}
