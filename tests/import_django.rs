//! `arriendo import django` on the real Django sample: both engines, row by row against the
//! source, all-or-nothing, refused twice, dry run, and the traps of `tables.md` with the sample's
//! own numbers.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::{ConnectOptions, Row};

use arriendo::import::report::{Outcome, Report};
use arriendo::import::{ImportError, ImportOptions, run};
use arriendo_events::*;
use common::{Engine, TestStore};

fn sample() -> PathBuf {
    std::env::var("DJANGO_SAMPLE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/django/sample.sqlite3")
        })
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const AS_OF: (i32, u32, u32) = (2026, 12, 1);

fn options(file: &Path, dry_run: bool) -> ImportOptions {
    ImportOptions {
        file: file.to_path_buf(),
        dry_run,
        report: None,
        as_of: d(AS_OF.0, AS_OF.1, AS_OF.2),
        roles: vec![],
        window: arriendo::import::WINDOW,
    }
}

/// Every contract stream in the store, folded, by contract number.
async fn contracts(store: &TestStore) -> HashMap<String, Contrato> {
    let events = arriendo::store::event_log::read_after(store.db(), 0, 1_000_000)
        .await
        .unwrap();
    let mut by_id: HashMap<String, Contrato> = HashMap::new();
    for e in events.iter().filter(|e| e.aggregate_type == "contrato") {
        let event: ContratoEvent = serde_json::from_value(e.payload.clone()).unwrap();
        by_id
            .entry(e.aggregate_id.clone())
            .or_default()
            .apply_event(event);
    }
    by_id
        .into_values()
        .map(|c| (c.number().to_string(), c))
        .collect()
}

/// The source, opened read-only by the test itself (not through the importer).
async fn source(file: &Path) -> sqlx::SqliteConnection {
    sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .unwrap()
}

fn pesos(value: f64) -> Money {
    let dec = Decimal::from_f64_retain(value)
        .unwrap()
        .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    Money::from_pesos(
        dec.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_i64()
            .unwrap(),
    )
    .unwrap()
}

/// trap 3, straight from the tables: the latest approved renewal in effect, else the Otro Sí in
/// force (its effective_to, else its new end), else the last approved Otro Sí with a new end,
/// else the signed end.
async fn source_end(src: &mut sqlx::SqliteConnection, contract: i64, day: NaiveDate) -> NaiveDate {
    let day = day.to_string();
    let q = |sql: &'static str| sqlx::query_scalar::<_, Option<String>>(sql);
    let found = q("SELECT nueva_fecha_final_actualizada FROM gestion_renovacionautomatica WHERE contrato_id = ? AND estado = 'APROBADO' AND effective_from <= ? ORDER BY effective_from DESC, id DESC LIMIT 1")
        .bind(contract).bind(&day).fetch_optional(&mut *src).await.unwrap().flatten();
    let found = match found {
        Some(f) => Some(f),
        None => q("SELECT COALESCE(effective_to, nueva_fecha_final_actualizada) FROM gestion_otrosi WHERE contrato_id = ? AND estado = 'APROBADO' AND effective_from <= ? AND (effective_to IS NULL OR effective_to >= ?) ORDER BY effective_from DESC, id DESC LIMIT 1")
            .bind(contract).bind(&day).bind(&day).fetch_optional(&mut *src).await.unwrap().flatten(),
    };
    let found = match found {
        Some(f) => Some(f),
        None => q("SELECT nueva_fecha_final_actualizada FROM gestion_otrosi WHERE contrato_id = ? AND estado = 'APROBADO' AND nueva_fecha_final_actualizada IS NOT NULL ORDER BY effective_from DESC, id DESC LIMIT 1")
            .bind(contract).fetch_optional(&mut *src).await.unwrap().flatten(),
    };
    let found = match found {
        Some(f) => f,
        None => q("SELECT fecha_final_inicial FROM gestion_contrato WHERE id = ?")
            .bind(contract)
            .fetch_one(&mut *src)
            .await
            .unwrap()
            .unwrap(),
    };
    NaiveDate::parse_from_str(&found, "%Y-%m-%d").unwrap()
}

fn differs(report: &Report, contract: &str, aspect: &str) -> bool {
    report
        .differences
        .iter()
        .any(|d| d.contract == contract && d.aspect.starts_with(aspect))
}

async fn imports_the_sample(engine: Engine) {
    let store = TestStore::new(engine).await;
    let file = sample();
    let mut opts = options(&file, false);
    // Nine windows of 7 contracts: every check below also holds for a streamed source.
    opts.window = 7;
    let report_path = store.data_dir().join("informe.json");
    opts.report = Some(report_path.clone());
    let done = run(&store.app, &opts).await.unwrap();
    let report = done.report;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(matches!(report.outcome, Outcome::Imported { .. }));
    assert!(report_path.is_file());
    assert_eq!(
        done.passwords.len(),
        2,
        "both Django users get a temporary password"
    );
    let unexplained: Vec<_> = report
        .differences
        .iter()
        .filter(|d| d.why.starts_with("sin explicar"))
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
    assert_eq!(report.tables["gestion_contrato"].imported, 60);
    assert_eq!(report.tables["gestion_tercero"].imported, 35);
    assert_eq!(report.tables["gestion_local"].imported, 46);

    // Every event names its source row.
    let events = arriendo::store::event_log::read_after(store.db(), 0, 1_000_000)
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .all(|e| e.metadata["imported_from"] == "django"
                && e.metadata["source_table"].is_string())
    );

    let imported = contracts(&store).await;
    assert_eq!(imported.len(), 60);
    let mut src = source(&file).await;
    let as_of = d(AS_OF.0, AS_OF.1, AS_OF.2);

    // Row by row: each contract's base terms, its pólizas and its billed months.
    for row in sqlx::query("SELECT id, num_contrato, fecha_inicial_contrato, fecha_final_inicial, modalidad_pago, CAST(valor_canon_fijo AS REAL) AS valor_canon_fijo, CAST(canon_minimo_garantizado AS REAL) AS canon_minimo_garantizado, CAST(porcentaje_ventas AS REAL) AS porcentaje_ventas FROM gestion_contrato")
        .fetch_all(&mut src).await.unwrap()
    {
        let id: i64 = row.get("id");
        let number: String = row.get("num_contrato");
        let c = &imported[&number];
        let terms = c.terms.as_ref().unwrap();
        assert_eq!(terms.start_date.to_string(), row.get::<String, _>("fecha_inicial_contrato"));
        assert_eq!(terms.end_date.to_string(), row.get::<String, _>("fecha_final_inicial"));
        let fixed: Option<f64> = row.get("valor_canon_fijo");
        let minimum: Option<f64> = row.get("canon_minimo_garantizado");
        let modality: String = row.get("modalidad_pago");
        match (modality.as_str(), terms.modality) {
            ("Fijo", PaymentModality::Fijo { canon }) => {
                // trap 1: valor_canon_fijo when > 0, else the form's only box.
                let expected = fixed.filter(|f| *f > 0.0).or(minimum).unwrap();
                assert_eq!(canon, pesos(expected), "{number}");
            }
            ("Hibrido (Min Garantizado)", PaymentModality::Hibrido { minimum: m, percentage }) => {
                assert_eq!(m, pesos(minimum.unwrap()), "{number}");
                assert_eq!(percentage.as_decimal(), Decimal::from_f64_retain(row.get::<f64, _>("porcentaje_ventas")).unwrap().round_dp(2).normalize());
            }
            ("Variable Puro", PaymentModality::VariablePuro { percentage }) => {
                assert_eq!(percentage.as_decimal(), Decimal::from_f64_retain(row.get::<f64, _>("porcentaje_ventas")).unwrap().round_dp(2).normalize());
            }
            (m, other) => panic!("{number}: {m} imported as {other:?}"),
        }

        // Required policies as signed: the families flagged exige_poliza_*.
        let flags = sqlx::query("SELECT exige_poliza_rce, exige_poliza_cumplimiento, exige_poliza_arrendamiento, exige_poliza_todo_riesgo, exige_poliza_otra_1 FROM gestion_contrato WHERE id = ?")
            .bind(id).fetch_one(&mut src).await.unwrap();
        let expected: Vec<&str> = ["RCE", "Cumplimiento", "Arrendamiento", "Todo riesgo", "Otra"]
            .into_iter()
            .enumerate()
            .filter(|(i, _)| flags.get::<i64, _>(*i) == 1)
            .map(|(_, k)| k)
            .collect();
        let got: Vec<String> = terms.required_policies.iter().map(|r| match &r.kind {
            PolicyKind::Otra(_) => "Otra".to_string(),
            k => k.to_string(),
        }).collect();
        assert_eq!(got, expected, "{number}");

        // Delivered pólizas: every one with a valid validity, with its printed expiry and colchón.
        for p in sqlx::query("SELECT id, numero_poliza, fecha_inicio_vigencia, fecha_vencimiento, tiene_colchon, meses_colchon, fecha_vencimiento_real FROM gestion_poliza WHERE contrato_id = ?")
            .bind(id).fetch_all(&mut src).await.unwrap()
        {
            let pid: i64 = p.get("id");
            let num: String = p.get("numero_poliza");
            let from: String = p.get("fecha_inicio_vigencia");
            let to: String = p.get("fecha_vencimiento");
            match c.polizas.iter().find(|x| x.data.number == num) {
                Some(x) => {
                    assert_eq!(x.data.validity.to().to_string(), to, "{number} {num}");
                    if p.get::<i64, _>("tiene_colchon") == 1 {
                        let real: String = p.get("fecha_vencimiento_real");
                        assert_eq!(x.data.effective_expiry().to_string(), real, "{number} {num} colchón");
                    }
                }
                None => {
                    assert!(to <= from, "{number} {num} missing without reason");
                    assert!(report.skipped.iter().any(|f| f.table == "gestion_poliza" && f.id == pid));
                }
            }
        }

        // Billed months: the latest calculation of each delivered month, as billed (trap 10);
        // híbridos bill the minimum plus the excess.
        for i in sqlx::query("SELECT mes, \"año\" AS anio, estado FROM gestion_informeventas WHERE contrato_id = ?")
            .bind(id).fetch_all(&mut src).await.unwrap()
        {
            let period = YearMonth::new(i.get::<i64, _>("anio") as i32, i.get::<i64, _>("mes") as u32).unwrap();
            let r = c.find_sales_report(period).unwrap_or_else(|| panic!("{number} {period}"));
            let calc = sqlx::query("SELECT modalidad_contrato, CAST(valor_a_facturar_variable AS REAL) AS valor_a_facturar_variable, CAST(canon_minimo_garantizado_vigente AS REAL) AS canon_minimo_garantizado_vigente FROM gestion_calculofacturacionventas WHERE contrato_id = ? AND mes = ? AND \"año\" = ? ORDER BY fecha_calculo DESC, id DESC LIMIT 1")
                .bind(id).bind(i.get::<i64, _>("mes")).bind(i.get::<i64, _>("anio"))
                .fetch_optional(&mut src).await.unwrap();
            match (i.get::<String, _>("estado").as_str(), calc) {
                ("ENTREGADO", Some(calc)) => {
                    let var: f64 = calc.get("valor_a_facturar_variable");
                    let min: Option<f64> = calc.get("canon_minimo_garantizado_vigente");
                    let hybrid = calc.get::<String, _>("modalidad_contrato") == "HIBRIDO_MIN_GARANTIZADO";
                    let expected = pesos(if hybrid { min.unwrap_or(0.0) + var } else { var });
                    assert_eq!(r.amount_due(), Some(expected), "{number} {period}");
                }
                _ => assert_eq!(r.status, SalesReportStatus::Pendiente, "{number} {period}"),
            }
        }

        // Terms in force on the import date: the end date as the old system computes it (trap 3),
        // unless the report lists the difference with its reason.
        if !differs(&report, &number, "fin vigente") {
            let expected = source_end(&mut src, id, as_of).await;
            assert_eq!(c.end_date_in_force(as_of), Some(expected), "{number}");
        }
    }

    email_alerts_came_over(&store, &report, &mut src).await;

    // The active company row: its name, NIT (without the wrong check digit, which the report
    // states), representative and address, as the printed pages and exports will show them.
    let (name, nit, representative, address): (String, String, String, String) = sqlx::query_as(
        "SELECT nombre_empresa, nit_empresa, representante_legal, direccion \
         FROM gestion_configuracionempresa WHERE activo = 1 ORDER BY fecha_creacion DESC LIMIT 1",
    )
    .fetch_one(&mut src)
    .await
    .unwrap();
    let company = arriendo::queries::empresa::company(store.db())
        .await
        .unwrap();
    let data = company.data.expect("the company came over");
    assert_eq!(data.name, name);
    assert_eq!(data.nit.number(), nit.split('-').next().unwrap());
    assert_eq!(data.legal_representative, representative);
    assert_eq!(data.address, address);
    assert_eq!(report.tables["gestion_configuracionempresa"].imported, 1);
    if arriendo_events::Nit::parse(&nit).is_err() {
        assert!(
            report
                .changed
                .iter()
                .any(|c| c.table == "gestion_configuracionempresa"),
            "the dropped check digit is reported"
        );
    }
    catalogs_row_by_row(&store, &report, &imported, &mut src).await;

    // A second import is refused and writes nothing.
    let before = arriendo::store::event_log::head(store.db()).await.unwrap();
    let again = run(&store.app, &options(&file, false)).await;
    assert!(matches!(again, Err(ImportError::NotEmpty(_))));
    assert_eq!(
        arriendo::store::event_log::head(store.db()).await.unwrap(),
        before
    );
}
both_engines!(imports_sample, crate::imports_the_sample);

/// The old system's email alerts: every configuration, recipient and history row came over or is
/// skipped with its reason; the SMTP row is skipped and the report says to enter the password again.
async fn email_alerts_came_over(
    store: &TestStore,
    report: &Report,
    src: &mut sqlx::SqliteConnection,
) {
    use arriendo::digest::{history, recipients, settings};
    use arriendo::import::plan::digests::kind_of;
    let skipped = |table: &str, id: i64| {
        report
            .skipped
            .iter()
            .find(|f| f.table == table && f.id == id)
            .map(|f| f.reason.clone())
    };
    for table in [
        "gestion_configuracionalerta",
        "gestion_destinatarioalerta",
        "gestion_configuracionemail",
        "gestion_historialenvioemail",
    ] {
        let c = &report.tables[table];
        assert_eq!(c.imported + c.skipped, c.read, "{table}: {c:?}");
        assert!(
            report.not_imported.iter().all(|n| n.table != table),
            "{table}"
        );
    }

    let all = settings::all(store.db()).await.unwrap();
    for row in sqlx::query("SELECT id, tipo_alerta, activo, frecuencia, dias_semana, hora_envio, solo_criticas, asunto FROM gestion_configuracionalerta")
        .fetch_all(&mut *src).await.unwrap()
    {
        let id: i64 = row.get("id");
        let code: String = row.get("tipo_alerta");
        if let Some(reason) = skipped("gestion_configuracionalerta", id) {
            assert_eq!(code, "ALERTAS_SALARIO_MINIMO", "{reason}");
            assert!(reason.contains("ALERTAS_IPC"), "{reason}");
            continue;
        }
        let kind = kind_of(&code).unwrap();
        let s = all.iter().find(|s| s.kind == kind).unwrap();
        assert_eq!(s.enabled, row.get::<i64, _>("activo") == 1, "{code}");
        let frequency = match row.get::<String, _>("frecuencia").as_str() {
            "INMEDIATO" => "inmediata",
            "DIARIO" => "diaria",
            "SEMANAL" => "semanal",
            _ => "mensual",
        };
        assert_eq!(s.schedule.frequency.slug(), frequency, "{code}");
        if frequency == "semanal" {
            let days: Vec<u8> = serde_json::from_str(&row.get::<String, _>("dias_semana")).unwrap();
            assert_eq!(s.schedule.weekdays, days, "{code}");
        }
        assert_eq!(
            format!("{}:00", s.schedule.time.format("%H:%M")),
            row.get::<String, _>("hora_envio"),
            "{code}"
        );
        assert_eq!(s.only_critical, row.get::<i64, _>("solo_criticas") == 1, "{code}");
        assert_eq!(s.subject, row.get::<Option<String>, _>("asunto"), "{code}");
        assert!(s.last_run_at.is_some(), "a slot before the import is not sent late");
    }

    let imported = recipients::list(store.db(), None).await.unwrap();
    for row in sqlx::query("SELECT d.id, d.email, d.activo, c.tipo_alerta FROM gestion_destinatarioalerta d JOIN gestion_configuracionalerta c ON c.id = d.configuracion_alerta_id")
        .fetch_all(&mut *src).await.unwrap()
    {
        let id: i64 = row.get("id");
        let email: String = row.get("email");
        let kind = kind_of(&row.get::<String, _>("tipo_alerta")).unwrap();
        match imported.iter().find(|r| r.kind == kind && r.email == email) {
            Some(r) if skipped("gestion_destinatarioalerta", id).is_none() => {
                assert_eq!(r.active, row.get::<i64, _>("activo") == 1, "{email}");
            }
            // IPC and salario mínimo share one kind: the second copy of an address is skipped.
            Some(_) => assert_eq!(kind, arriendo_projections::AlertKind::Ajuste),
            None => panic!("recipient {id} {email} neither imported nor skipped"),
        }
    }

    let rows = history::latest(store.db(), 1000, 0).await.unwrap();
    let source_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM gestion_historialenvioemail")
        .fetch_one(&mut *src)
        .await
        .unwrap();
    assert_eq!(rows.len() as i64, source_rows);
    assert!(rows.iter().all(|r| r.trigger == "importado"));
    assert_eq!(rows.iter().filter(|r| r.status == "ENVIADO").count(), 10);
    assert_eq!(rows.iter().filter(|r| r.status == "ERROR").count(), 18);
    assert!(rows.iter().any(|r| r.kind == "polizas-criticas"
        && r.subject == "Pólizas críticas - Plaza Ficticia"
        && r.alert_count == 37));

    let smtp = skipped("gestion_configuracionemail", 1).unwrap();
    for expected in [
        "BACKUP_SMTP_HOST=127.0.0.1",
        "BACKUP_SMTP_PORT=18125",
        "BACKUP_SMTP_TLS=none",
        "Alertas Plaza Ficticia <alertas@plazaficticia.example>",
        "BACKUP_SMTP_PASSWORD",
    ] {
        assert!(smtp.contains(expected), "{expected} not in {smtp}");
    }
}

/// Tipos, cláusulas, where each is mandatory and each contract's checklist, row by row: every row
/// of the five tables is imported or skipped with a reason.
async fn catalogs_row_by_row(
    store: &TestStore,
    report: &Report,
    imported: &HashMap<String, Contrato>,
    src: &mut sqlx::SqliteConnection,
) {
    for table in [
        "gestion_tipocontrato",
        "gestion_tiposervicio",
        "gestion_clausula",
        "gestion_clausulaobligatoria",
        "gestion_clausulacontrato",
    ] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *src)
            .await
            .unwrap();
        let count = &report.tables[table];
        assert_eq!(
            (count.imported + count.skipped) as i64,
            rows,
            "{table}: every row imported or skipped"
        );
        let skipped = report.skipped.iter().filter(|f| f.table == table).count();
        assert_eq!(
            skipped, count.skipped,
            "{table}: each skipped row has its reason"
        );
        assert!(
            !report.not_imported.iter().any(|n| n.table == table),
            "{table}"
        );
    }
    let catalog = store.app.commands.load_catalogos().await.unwrap();
    let type_name = |id: Option<uuid::Uuid>| {
        id.and_then(|t| catalog.find_type(t))
            .map(|t| t.name.clone())
    };

    // Each contract's type: tipo_contrato_id for clients, tipo_servicio_id for suppliers.
    for row in sqlx::query(
        "SELECT c.num_contrato, c.tipo_contrato_cliente_proveedor AS cp, tc.nombre AS tc, ts.nombre AS ts \
         FROM gestion_contrato c LEFT JOIN gestion_tipocontrato tc ON tc.id = c.tipo_contrato_id \
         LEFT JOIN gestion_tiposervicio ts ON ts.id = c.tipo_servicio_id",
    )
    .fetch_all(&mut *src)
    .await
    .unwrap()
    {
        let number: String = row.get("num_contrato");
        let expected: Option<String> = if row.get::<String, _>("cp") == "CLIENTE" {
            row.get("tc")
        } else {
            row.get("ts")
        };
        let terms = imported[&number].terms.as_ref().unwrap();
        assert_eq!(type_name(terms.type_id), expected, "{number}");
    }

    // Mandatory clauses: exactly the active rows, NULL type = every contract of the kind.
    let mut expected = Vec::new();
    for row in sqlx::query(
        "SELECT o.activa, o.tipo_contrato_cliente_proveedor AS cp, c.titulo, tc.nombre AS tc, ts.nombre AS ts \
         FROM gestion_clausulaobligatoria o JOIN gestion_clausula c ON c.id = o.clausula_id \
         LEFT JOIN gestion_tipocontrato tc ON tc.id = o.tipo_contrato_id \
         LEFT JOIN gestion_tiposervicio ts ON ts.id = o.tipo_servicio_id",
    )
    .fetch_all(&mut *src)
    .await
    .unwrap()
    {
        if row.get::<i64, _>("activa") != 1 {
            continue;
        }
        let client = row.get::<String, _>("cp") == "CLIENTE";
        let named: Option<String> = row.get(if client { "tc" } else { "ts" });
        let scope = match (client, named) {
            (true, None) => "todos los clientes".to_string(),
            (false, None) => "todos los proveedores".to_string(),
            (_, Some(name)) => name,
        };
        expected.push((row.get::<String, _>("titulo"), scope));
    }
    let mut got: Vec<(String, String)> = catalog
        .mandatory
        .iter()
        .map(|(clause, scope)| {
            let title = catalog.find_clause(*clause).unwrap().data.title.clone();
            let scope = match scope {
                ClauseScope::AllClient => "todos los clientes".to_string(),
                ClauseScope::AllSupplier => "todos los proveedores".to_string(),
                ClauseScope::ContractType(t) | ClauseScope::ServiceType(t) => {
                    type_name(Some(*t)).unwrap()
                }
            };
            (title, scope)
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert!(
        report
            .skipped
            .iter()
            .any(|f| f.table == "gestion_clausulaobligatoria"
                && f.reason.contains("inactiva en el sistema anterior"))
    );

    // Checklists: each contract holds the titles Django lists for it; none where it has no rows.
    let mut lists: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query(
        "SELECT c.num_contrato, cl.titulo FROM gestion_clausulacontrato cc \
         JOIN gestion_contrato c ON c.id = cc.contrato_id JOIN gestion_clausula cl ON cl.id = cc.clausula_id",
    )
    .fetch_all(&mut *src)
    .await
    .unwrap()
    {
        lists
            .entry(row.get("num_contrato"))
            .or_default()
            .push(row.get("titulo"));
    }
    for (number, contract) in imported {
        let mut want = lists.remove(number).unwrap_or_default();
        let mut have: Vec<String> = contract
            .clauses
            .iter()
            .map(|id| catalog.find_clause(*id).unwrap().data.title.clone())
            .collect();
        want.sort();
        have.sort();
        assert_eq!(have, want, "{number}");
    }
    assert!(
        lists.is_empty(),
        "checklists of contracts not imported: {lists:?}"
    );
    // Contracts in force that lack mandatory clauses get the new alert.
    let alerts: i64 = arriendo::on_pool!(store.db(), pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM rm_alerts WHERE kind = 'clausulas-faltantes'")
            .fetch_one(pool)
            .await
            .unwrap()
    });
    assert!(alerts > 0);
}

async fn dry_run_writes_nothing(engine: Engine) {
    let store = TestStore::new(engine).await;
    let mut opts = options(&sample(), true);
    // is_superuser → administrador, others → gestor, unless the operator says otherwise.
    opts.roles = vec![("auxiliar.demo".into(), arriendo_events::Role::Auditor)];
    let html = store.data_dir().join("informe.html");
    opts.report = Some(html.clone());
    let done = run(&store.app, &opts).await.unwrap();
    assert!(matches!(done.report.outcome, Outcome::DryRun { events } if events > 600));
    assert!(done.passwords.is_empty());
    let role = |u: &str| {
        done.report
            .users
            .iter()
            .find(|l| l.username == u)
            .unwrap()
            .role
            .clone()
    };
    assert_eq!(
        (role("admin.demo"), role("auxiliar.demo")),
        ("administrador".into(), "auditor".into())
    );
    assert_eq!(
        arriendo::store::event_log::head(store.db())
            .await
            .unwrap()
            .0,
        0
    );
    let page = std::fs::read_to_string(html).unwrap();
    assert!(page.contains("Cláusulas: el sistema anterior guarda solo el título"));
    assert!(!page.contains("no importado: Arriendo aún no tiene catálogo de cláusulas"));
}
both_engines!(dry_run, crate::dry_run_writes_nothing);

/// A copy of the sample the test may change, and a connection to it that does not enforce
/// foreign keys (Django's own rows are the test's to break).
async fn writable_copy(store: &TestStore, name: &str) -> (PathBuf, sqlx::SqliteConnection) {
    let copy = store.data_dir().join(name);
    std::fs::copy(sample(), &copy).unwrap();
    let mut perms = std::fs::metadata(&copy).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&copy, perms).unwrap();
    let conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&copy)
        .foreign_keys(false)
        .connect()
        .await
        .unwrap();
    (copy, conn)
}

/// A copy of the sample where one contract's notice period breaks a bound: nothing is written
/// and the report names the row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_out_of_bounds_stops_everything() {
    let store = TestStore::new(Engine::Sqlite).await;
    let (copy, mut conn) = writable_copy(&store, "roto.sqlite3").await;
    sqlx::query(
        "UPDATE gestion_contrato SET dias_preaviso_no_renovacion = 100000000 WHERE id = 23",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    // A second broken contract in the last window: the windows before it were already written
    // into the open transaction, and planning goes on after the first error to name both rows.
    sqlx::query(
        "UPDATE gestion_contrato SET dias_preaviso_no_renovacion = 100000000 WHERE id = 58",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    drop(conn);
    let mut opts = options(&copy, false);
    opts.window = 10;
    opts.report = Some(store.data_dir().join("informe.json"));
    let err = run(&store.app, &opts).await.err().unwrap();
    assert!(matches!(err, ImportError::Rejected(2)), "{err}");
    assert_eq!(
        arriendo::store::event_log::head(store.db())
            .await
            .unwrap()
            .0,
        0
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(store.data_dir().join("informe.json")).unwrap(),
    )
    .unwrap();
    let error = &json["errors"][0];
    assert_eq!(error["table"], "gestion_contrato");
    assert_eq!(error["id"], 23);
    assert!(error["subject"].as_str().unwrap().contains("ARR-2023-103"));
    assert_eq!(json["errors"][1]["id"], 58);
    assert!(
        json["errors"][1]["subject"]
            .as_str()
            .unwrap()
            .contains("PRV-2026-407")
    );
}

/// Every stream's events (type and payload, in stream order) keyed by its first event, with
/// the generated ids and password hashes blanked: two imports of one source must agree on everything else.
async fn streams_without_ids(store: &TestStore) -> std::collections::BTreeMap<String, Vec<String>> {
    fn blank(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => *s = "<id>".into(),
            serde_json::Value::Array(a) => a.iter_mut().for_each(blank),
            serde_json::Value::Object(o) => {
                // Temporary passwords are drawn anew by each import.
                if let Some(hash) = o.get_mut("password_hash") {
                    *hash = "<hash>".into();
                }
                o.values_mut().for_each(blank)
            }
            _ => {}
        }
    }
    let events = arriendo::store::event_log::read_after(store.db(), 0, 1_000_000)
        .await
        .unwrap();
    let mut by_stream: HashMap<(String, String), Vec<String>> = HashMap::new();
    for e in events {
        let mut payload = e.payload.clone();
        blank(&mut payload);
        by_stream
            .entry((e.aggregate_type.clone(), e.aggregate_id.clone()))
            .or_default()
            .push(format!("{} {payload}", e.event_type));
    }
    by_stream
        .into_iter()
        .map(|((kind, _), events)| (format!("{kind} {}", events[0]), events))
        .collect()
}

/// The source streams a window of contracts at a time; the window is only how much is held in
/// memory, never what comes over: one contract at a time and all 60 at once give the same
/// report and the same contract streams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_changes_nothing_that_comes_over() {
    let mut outcomes = vec![];
    for window in [1, 60] {
        let store = TestStore::new(Engine::Sqlite).await;
        let mut opts = options(&sample(), false);
        opts.window = window;
        let report = run(&store.app, &opts).await.unwrap().report;
        let streams = streams_without_ids(&store).await;
        let counts: Vec<_> = report
            .tables
            .iter()
            .map(|(t, c)| (t.clone(), c.read, c.imported, c.skipped))
            .collect();
        let differences: Vec<_> = report
            .differences
            .iter()
            .map(|d| format!("{d:?}"))
            .collect();
        let changes = (report.skipped.len(), report.changed.len());
        outcomes.push((streams, counts, differences, changes));
    }
    let contract_streams = outcomes[0]
        .0
        .keys()
        .filter(|k| k.starts_with("contrato "))
        .count();
    assert_eq!(contract_streams, 60);
    let (one, all) = (&outcomes[0], &outcomes[1]);
    for (key, events) in &one.0 {
        assert_eq!(Some(events), all.0.get(key), "{key}");
    }
    assert_eq!(one.0.len(), all.0.len());
    assert_eq!(one.1, all.1);
    assert_eq!(one.2, all.2);
    assert_eq!(one.3, all.3);
}

/// A row hanging from a contract the source does not have is skipped with its reason, not lost
/// in silence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_of_a_missing_contract_is_skipped_with_its_reason() {
    let store = TestStore::new(Engine::Sqlite).await;
    let (copy, mut conn) = writable_copy(&store, "huerfana.sqlite3").await;
    sqlx::query("UPDATE gestion_seguimientocontrato SET contrato_id = 9999 WHERE id = (SELECT MIN(id) FROM gestion_seguimientocontrato)")
        .execute(&mut conn)
        .await
        .unwrap();
    let orphan: i64 = sqlx::query_scalar(
        "SELECT MIN(id) FROM gestion_seguimientocontrato WHERE contrato_id = 9999",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    drop(conn);
    let report = run(&store.app, &options(&copy, false))
        .await
        .unwrap()
        .report;
    let skipped: Vec<_> = report
        .skipped
        .iter()
        .filter(|f| f.table == "gestion_seguimientocontrato" && f.id == orphan)
        .collect();
    assert_eq!(skipped.len(), 1, "{:#?}", report.skipped);
    assert!(
        skipped[0]
            .reason
            .contains("no existe en el sistema anterior")
    );
    assert_eq!(report.tables["gestion_seguimientocontrato"].skipped, 1);
}

/// The traps of `tables.md` §3, with the sample's own numbers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traps_with_the_sample_numbers() {
    let store = TestStore::new(Engine::Sqlite).await;
    let report = run(&store.app, &options(&sample(), false))
        .await
        .unwrap()
        .report;
    let c = contracts(&store).await;
    let as_of = d(2026, 12, 1);
    let money = |p: i64| Money::from_pesos(p).unwrap();

    // trap 1: a screen-made Fijo keeps its rent in canon_minimo_garantizado.
    assert_eq!(
        c["ARR-2021-101"].terms.as_ref().unwrap().modality,
        PaymentModality::Fijo {
            canon: money(4_200_000)
        }
    );
    // trap 1: a generator Fijo uses valor_canon_fijo.
    assert_eq!(
        c["CON-2024-003"].terms.as_ref().unwrap().modality,
        PaymentModality::Fijo {
            canon: money(3_229_701)
        }
    );
    // trap 1 + 10: applied IPC adjustments are facts, cents rounded (8.326.859,84 → 8.326.860).
    let arr102 = &c["ARR-2022-102"];
    assert_eq!(
        arr102
            .ajustes
            .iter()
            .map(|a| a.new_canon)
            .collect::<Vec<_>>(),
        vec![money(7_482_800), money(8_326_860), money(8_926_394)]
    );
    // trap 6: months counted from the start: a 12-month RCE of ARR-2021-101 ended before the contract.
    let rce = c["ARR-2021-101"]
        .terms
        .as_ref()
        .unwrap()
        .required_policies
        .iter()
        .find(|r| r.kind == PolicyKind::Rce)
        .cloned();
    if let Some(rce) = rce {
        assert_eq!(rce.months_of_cover, 0);
    }
    // trap 6: ARR-2022-102 OS-1 requires RCE until 2028-07-01 = original end 2027-07-01 + 12.
    let os1 = arr102.find_otro_si(OtroSiNumber(1)).unwrap();
    let rce = os1
        .changes
        .required_policies
        .as_ref()
        .unwrap()
        .iter()
        .find(|r| r.kind == PolicyKind::Rce)
        .unwrap();
    assert_eq!(
        add_months(d(2027, 7, 1), rce.months_of_cover as i32),
        d(2028, 7, 1)
    );
    // trap 5: ARR-2025-105 OS-1 changes nothing Arriendo models: a note, no Otro Sí.
    assert!(c["ARR-2025-105"].otro_si.is_empty());
    assert!(
        c["ARR-2025-105"]
            .seguimientos
            .iter()
            .any(|s| s.note.contains("Otro Sí OS-1"))
    );
    // trap 7: «Arrendamiento» is todo riesgo.
    assert!(
        c["HIB-2022-305"]
            .polizas
            .iter()
            .any(|p| p.data.number == "TR-30502"
                && p.data.kind == PolicyKind::TodoRiesgo
                && p.data.colchon_months == 3)
    );
    // trap 8: the deadline is the due day of the following month (VAR-2024-201, day 10).
    let r = c["VAR-2024-201"]
        .find_sales_report(YearMonth::new(2026, 8).unwrap())
        .unwrap();
    assert_eq!(r.deadline, d(2026, 9, 10));
    // trap 3: HIB-2021-307 was extended by OS-1 until 2026-11-01; on 2026-12-01 it ends 2025-05-01 again.
    assert_eq!(
        c["HIB-2021-307"].end_date_in_force(as_of),
        Some(d(2025, 5, 1))
    );
    assert_eq!(
        c["HIB-2021-307"].end_date_in_force(d(2026, 6, 1)),
        Some(d(2026, 11, 1))
    );
    // trap 4: vigente = 0 closes the contract.
    assert!(c["ARR-2021-101"].terminated.is_some());
    // trap 15: generator numbers CON-2024-003-OS-n; OS-2 (in review, changes nothing) is a note,
    // so the approved OS-3 becomes OS-2 and keeps its old number in the description.
    let con3 = &c["CON-2024-003"];
    assert_eq!(con3.otro_si.len(), 2);
    let os2 = con3.find_otro_si(OtroSiNumber(2)).unwrap();
    assert_eq!(os2.status, OtroSiStatus::Aprobado);
    assert!(os2.description.contains("CON-2024-003-OS-3"));
    assert!(
        con3.seguimientos
            .iter()
            .any(|s| s.note.contains("CON-2024-003-OS-2"))
    );
    // trap 14: the same NIT as arrendatario and as proveedor is two terceros.
    assert_eq!(report.tables["gestion_tercero"].imported, 35);
    // trap 17: a follow-up dated local midnight (05:00 UTC) keeps its day.
    let arr102_notes: Vec<_> = arr102
        .polizas
        .iter()
        .flat_map(|p| p.seguimientos.iter())
        .collect();
    assert!(arr102_notes.iter().any(|s| s.date == d(2026, 7, 5)));
    // trap 2/13: variable percentages are percent numbers.
    assert_eq!(
        c["VAR-2024-201"]
            .terms
            .as_ref()
            .unwrap()
            .modality
            .sales_percentage(),
        Some(Percentage::parse("8,5").unwrap())
    );
    // trap 9: an adjustment dated in year X applies the IPC of year X−1 (2023 ← IPC 2022 = 13,12).
    let a2023 = arr102.ajustes.iter().find(|a| a.year == 2023).unwrap();
    assert_eq!(a2023.index_value, Percentage::parse("13,12").unwrap());
    // trap 11: renewals come from their own table: PRV-2025-406 has RA-1 and RA-2 (6 months each).
    let prv = &c["PRV-2025-406"];
    assert_eq!(prv.renovaciones.len(), 2);
    assert_eq!(prv.end_date_in_force(as_of), Some(d(2027, 3, 1)));
    assert_eq!(prv.latest_end_date(), Some(d(2027, 9, 1)));
    // Renewals keep the months agreed: ARR-2023-103 RA-1 for 12 months (initial duration 36).
    assert_eq!(
        c["ARR-2023-103"]
            .find_renewal(RenewalNumber(1))
            .unwrap()
            .new_end,
        d(2027, 4, 15)
    );
}

/// The imported portfolio in the app: an imported administrador logs in with the temporary
/// password, and the dashboard, the contract list, a contract page with its history, the rent roll
/// and the contract list's export show it.
async fn the_app_shows_the_imported_portfolio(engine: Engine) {
    let web = auth_support::Web::start(engine).await;
    let done = run(&web.app, &options(&sample(), false)).await.unwrap();
    let (user, password) = done
        .passwords
        .iter()
        .find(|(u, _)| u == "admin.demo")
        .unwrap();
    let browser = web.browser();
    let login = browser.login(user, password).await;
    assert!(
        login.status().is_redirection() || login.status().is_success(),
        "{}",
        login.status()
    );
    // The temporary password the import showed must be changed before anything else.
    let held = browser.get("/").await;
    assert_eq!(held.status().as_u16(), 303);
    assert_eq!(
        held.headers()[reqwest::header::LOCATION],
        "/cuenta/contrasena"
    );
    let own = "una-clave-propia-del-admin";
    let changed = browser
        .post(
            "/cuenta/contrasena",
            &[
                ("actual", password.as_str()),
                ("nueva", own),
                ("confirmacion", own),
            ],
        )
        .await;
    assert_eq!(changed.status().as_u16(), 303);
    let get = |path: String| {
        let browser = &browser;
        async move {
            let response = browser.get(&path).await;
            assert_eq!(response.status(), reqwest::StatusCode::OK, "GET {path}");
            response.text().await.unwrap()
        }
    };
    let dashboard = get("/".into()).await;
    assert!(
        dashboard.contains("ARR-") || dashboard.contains("CON-2024"),
        "the dashboard lists imported contracts"
    );
    let list = get("/contratos?q=ARR-2022-102".into()).await;
    assert!(list.contains("ARR-2022-102"));
    let id: String = arriendo::on_pool!(web.app.db.clone(), pool => {
        sqlx::query_scalar("SELECT id FROM rm_contracts WHERE number = 'ARR-2022-102'").fetch_one(&pool).await.unwrap()
    });
    let page = get(format!("/contratos/{id}")).await;
    assert!(page.contains("ARR-2022-102"));
    assert!(
        page.contains("importado de django"),
        "the history names the source"
    );
    let roll = get("/contratos/relacion-canones".into()).await;
    assert!(roll.contains("Relación de cánones"));
    let exported = get("/contratos/exportar?formato=csv&q=ARR-2022-102".into()).await;
    assert!(
        exported.lines().any(|l| l.starts_with("ARR-2022-102,")),
        "{exported}"
    );
}
both_engines!(
    app_shows_imported,
    crate::the_app_shows_the_imported_portfolio
);

/// A write that fails midway (simulated: the store refuses the first póliza after hundreds of
/// events were appended) rolls back: nothing stays written and the report says how to recover.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_write_leaves_the_store_empty() {
    let store = TestStore::new(Engine::Sqlite).await;
    arriendo::on_pool!(store.db(), pool => {
        sqlx::query("CREATE TRIGGER simulated_failure BEFORE INSERT ON events WHEN NEW.event_type = 'PolizaRegistered' \
                     BEGIN SELECT RAISE(ABORT, 'disco lleno (simulado)'); END")
            .execute(pool).await.unwrap();
    });
    let mut opts = options(&sample(), false);
    // Several windows were appended before the failing one: they roll back with it.
    opts.window = 5;
    opts.report = Some(store.data_dir().join("informe.json"));
    let err = run(&store.app, &opts).await.err().unwrap();
    assert!(matches!(err, ImportError::Write(_)), "{err}");
    assert_eq!(
        arriendo::store::event_log::head(store.db())
            .await
            .unwrap()
            .0,
        0
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(store.data_dir().join("informe.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["outcome"]["kind"], "write_failed");
    assert!(
        json["recovery"]
            .as_str()
            .unwrap()
            .contains("vuelva a ejecutar")
    );
}
