//! Issue 10, items 4 to 7, over HTTP on both engines: the contract form refuses contradictions
//! (double leasing, a proveedor as tenant, a duration that disagrees, signed after the start) and
//! shows every mistake in one round, each summary line naming its field; Otro Sí is compared with
//! the terms in force on its own start date, a híbrido one offers only híbrido fields, approval
//! asks first and says "regirá desde …"; IPC and sales reports far from what is on file warn and
//! ask for a confirmation.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo::store::Metadata;
use arriendo_events::{
    Nit, PaymentModality, Role, TerceroCommand, TerceroData, TerceroKind, YearMonth,
};
use arriendo_views::format;
use auth_support::{Browser, Web, location};
use chrono::{Duration, NaiveDate};
use common::Engine;
use web_fixtures::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn iso(date: NaiveDate) -> String {
    format::date_input(date)
}

async fn supplier(web: &Web) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    web.app
        .commands
        .tercero(
            &id,
            TerceroCommand::RegisterTercero {
                actor: admin(),
                data: TerceroData {
                    nit: Nit::parse("800111222").unwrap(),
                    razon_social: "Aseo Total S.A.S.".into(),
                    kind: TerceroKind::Proveedor,
                    legal_representative: None,
                    supervisor_name: None,
                    supervisor_email: None,
                },
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    id
}

/// The contract form as a person fills it: fixed canon $12.500.000 on `local`.
fn form_fields(
    number: &str,
    tercero: &str,
    local: &str,
    start: NaiveDate,
    months: &str,
    end: &str,
) -> Vec<(String, String)> {
    [
        ("numero", number),
        ("clase", "cliente"),
        ("tercero", tercero),
        ("local", local),
        ("objeto", "Venta de café"),
        ("fecha_firma", &iso(start)),
        ("fecha_inicio", &iso(start)),
        ("duracion_meses", months),
        ("fecha_fin", end),
        ("modalidad", "fijo"),
        ("canon", "12.500.000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_string(), value.to_string()));
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

async fn created(gestor: &Browser, fields: &[(String, String)]) -> String {
    let response = gestor.post("/contratos", &pairs(fields)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    location(&response)
        .trim_start_matches("/contratos/")
        .to_string()
}

async fn five_mistakes_in_one_round(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let tenant = tenant(&web.app, "900123456-8", "Café Andino S.A.S.")
        .await
        .to_string();
    let local = local(&web.app, "Local 12").await.to_string();
    let supplier = supplier(&web).await;
    let gus = web.logged_in("gus").await;

    // CT-1 leases Local 12 from 01/01/2026 to 31/12/2026.
    created(
        &gus,
        &form_fields("CT-1", &tenant, &local, d(2026, 1, 1), "12", "2026-12-31"),
    )
    .await;

    // CT-2 with five mistakes: signed after its start, 12 months that do not end on 31/12/2027,
    // a proveedor as tenant, Local 12 still leased in December 2026, a negative canon.
    let mut bad = form_fields(
        "CT-2",
        &supplier,
        &local,
        d(2026, 12, 1),
        "12",
        "2027-12-31",
    );
    set(&mut bad, "fecha_firma", "2026-12-15");
    set(&mut bad, "canon", "-5");
    let response = gus.post("/contratos", &pairs(&bad)).await;
    let html = page(response, 422).await;
    assert!(html.contains("Hay 5 errores en el formulario"), "{html}");
    for line in [
        "Fecha de firma: la fecha de firma (15/12/2026) no puede ser posterior a la fecha de inicio (01/12/2026).",
        "Duración inicial: 12 meses desde el 01/12/2026 terminan el 30/11/2027, no el 31/12/2027: corrija la duración o la fecha de terminación.",
        "Arrendatario / proveedor: el tercero elegido es un proveedor: un contrato de cliente necesita un arrendatario.",
        "Local: el local ya está arrendado en el contrato CT-1 del 01/01/2026 al 31/12/2026.",
        "Canon mensual o mínimo garantizado: el valor no puede ser negativo.",
    ] {
        assert!(html.contains(line), "summary line «{line}»");
    }
    for field in ["fecha_firma", "duracion_meses", "tercero", "local", "canon"] {
        assert!(
            html.contains(&format!("id=\"campo-{field}-error\"")),
            "{field} beside"
        );
    }
    assert!(
        html.contains("value=\"15/12/2026\""),
        "input kept, shown as dd/mm/aaaa"
    );

    // The end left blank is computed from start + duration and shown.
    let fields = form_fields("CT-2", &tenant, &local, d(2027, 1, 1), "12", "");
    let id = created(&gus, &fields).await;
    let detail = page(gus.get(&format!("/contratos/{id}")).await, 200).await;
    assert!(
        detail.contains("Fecha de terminación calculada con la duración: 31/12/2027."),
        "{detail}"
    );
    assert!(detail.contains("31/12/2027"));

    // A blank end with another mistake: the form comes back showing the computed end.
    let mut again = form_fields("CT-3", &tenant, "", d(2027, 1, 1), "6", "");
    set(&mut again, "canon", "");
    let html = page(gus.post("/contratos", &pairs(&again)).await, 422).await;
    assert!(html.contains("value=\"30/06/2027\""), "computed end shown");
    assert!(html.contains("Canon mensual o mínimo garantizado: indique el canon mensual."));

    // Editing checks the same rules in one round (its own term does not count as a lease).
    let mut edit = fields.clone();
    set(&mut edit, "fecha_firma", "2027-02-01");
    set(&mut edit, "fecha_fin", "2027-11-30");
    edit.push(("motivo".into(), "Firma y terminación corregidas".into()));
    let response = gus
        .post(&format!("/contratos/{id}/editar"), &pairs(&edit))
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("Hay 2 errores en el formulario"), "{html}");
    assert!(html.contains("Fecha de firma: la fecha de firma (01/02/2027)"));
    assert!(html.contains(
        "Duración inicial: 12 meses desde el 01/01/2027 terminan el 31/12/2027, no el 30/11/2027"
    ));
    // The corrected edit carries the version of the terms the form showed.
    let mut fields = fields.clone();
    fields.push((
        "version".into(),
        terms_version(&web.app, &id.to_string()).await,
    ));
    let response = gus
        .post(&format!("/contratos/{id}/editar"), &pairs(&fields))
        .await;
    assert_eq!(response.status(), 303);
}
both_engines!(
    five_mistakes_in_one_round,
    super::five_mistakes_in_one_round
);

/// "OS-1 regirá desde el 01/02/2027." while that date is ahead, "rige desde" after it.
fn takes_effect(date: NaiveDate) -> String {
    let verb = if date > arriendo::app::today() {
        "regirá"
    } else {
        "rige"
    };
    format!("{verb} desde el {}", date.format("%d/%m/%Y"))
}

async fn otro_si_against_the_terms_on_its_own_date(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("ana", Role::Administrador).await;
    let tenant = tenant(&web.app, "900123456-8", "Café Andino S.A.S.")
        .await
        .to_string();
    let local = local(&web.app, "Local 12").await.to_string();
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;
    let ana = web.logged_in("ana").await;

    // Híbrido: $12.500.000 minimum and 8 % from 01/12/2026 for 36 months (to 30/11/2029).
    let mut fields = form_fields("CT-H", &tenant, &local, d(2026, 12, 1), "36", "");
    set(&mut fields, "modalidad", "hibrido");
    set(&mut fields, "porcentaje", "8");
    set(&mut fields, "dia_informe", "10");
    let id = created(&gus, &fields).await;
    // The next lease of Local 12 starts the day after.
    created(
        &gus,
        &form_fields("CT-N", &tenant, &local, d(2029, 12, 1), "12", ""),
    )
    .await;

    // A híbrido Otro Sí offers the minimum and the share of sales, not a canon.
    let form = page(gus.get(&format!("/contratos/{id}/otrosi/nuevo")).await, 200).await;
    assert!(!form.contains("name=\"canon\""));
    assert!(form.contains("name=\"minimo\"") && form.contains("name=\"porcentaje\""));
    let os = |from: &str, field: &str, value: &str| {
        vec![
            ("vigencia_desde".to_string(), from.to_string()),
            (field.to_string(), value.to_string()),
        ]
    };
    let response = gus
        .post(
            &format!("/contratos/{id}/otrosi"),
            &pairs(&os("2027-02-01", "canon", "20.000.000")),
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains(
        "Nuevo canon mensual: el contrato es híbrido: no tiene canon fijo; indique el nuevo mínimo garantizado."
    ));

    // OS-1 sets $14.000.000 from 01/02/2027; approval asks first and says when it takes effect.
    let path = format!("/contratos/{id}/otrosi");
    let response = gus
        .post(&path, &pairs(&os("2027-02-01", "minimo", "14.000.000")))
        .await;
    assert_eq!(response.status(), 303);
    gus.post(&format!("{path}/1/enviar"), &[]).await;
    let asked = page(ana.post(&format!("{path}/1/aprobar"), &[]).await, 200).await;
    assert!(asked.contains(&format!("OS-1 {}", takes_effect(d(2027, 2, 1)))));
    assert!(asked.contains("Sí, aprobar OS-1"));
    let page_os1 = page(gus.get(&format!("{path}/1")).await, 200).await;
    assert!(page_os1.contains("En revisión"), "nothing approved yet");
    let response = ana
        .post(&format!("{path}/1/aprobar"), &[("confirmar", "si")])
        .await;
    assert_eq!(response.status(), 303);
    let detail = page(ana.get(&format!("/contratos/{id}")).await, 200).await;
    assert!(detail.contains(&format!("OS-1 aprobado: {}.", takes_effect(d(2027, 2, 1)))));

    // OS-2 from 01/03/2027 raises it to $20.000.000: compared with OS-1's $14.000.000.
    let response = gus
        .post(&path, &pairs(&os("2027-03-01", "minimo", "20.000.000")))
        .await;
    assert_eq!(response.status(), 303);
    let html = page(gus.get(&format!("{path}/2")).await, 200).await;
    let start = html
        .find("Qué cambia frente a lo vigente el 01/03/2027")
        .unwrap();
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    assert!(
        table.contains("$ 14.000.000 <span class=\"source-tag\">modificado por OS-1</span>"),
        "{table}"
    );
    assert!(table.contains("<strong>$ 20.000.000</strong>"));
    assert!(!table.contains("12.500.000"), "not today's minimum");

    // OS-3 moving the end into CT-N's lease is refused beside the new end.
    let response = gus
        .post(&path, &pairs(&os("2027-04-01", "fecha_fin", "2030-12-31")))
        .await;
    let html = page(response, 422).await;
    assert!(html.contains(
        "Nueva fecha de terminación: con esta fecha de terminación, el local ya está arrendado en el contrato CT-N del 01/12/2029 al 30/11/2030."
    ));
    assert!(html.contains("id=\"campo-fecha_fin-error\""));
}
both_engines!(
    otro_si_against_the_terms_on_its_own_date,
    super::otro_si_against_the_terms_on_its_own_date
);

async fn money_safety_nets(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let app = &web.app;
    let today = arriendo::app::today();
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let gus = web.logged_in("gus").await;

    // IPC 2026 is 5,1 %; typing 51 warns and asks; nothing is recorded until confirmed.
    let ipc = |valor: &'static str, confirmar: &'static str| {
        vec![
            ("indice", "ipc"),
            ("anio", "2026"),
            ("valor", valor),
            ("confirmar", confirmar),
        ]
    };
    assert_eq!(gus.post("/indices", &ipc("5,1", "")).await.status(), 303);
    let html = page(gus.post("/indices", &ipc("51", "")).await, 422).await;
    assert!(html.contains("El valor es 10 veces el IPC registrado para 2026 (5,1 %)."));
    assert!(html.contains("name=\"confirmar\""));
    assert_eq!(
        arriendo::queries::indices::value(&app.db, "ipc", 2026)
            .await
            .unwrap()
            .as_deref(),
        Some("5.1")
    );
    // Confirmed, it is recorded (and corrected back the same way).
    assert_eq!(gus.post("/indices", &ipc("51", "si")).await.status(), 303);
    assert_eq!(gus.post("/indices", &ipc("5,1", "si")).await.status(), 303);

    // An adjustment with 51 instead of 5,1: the same warning; confirming needs the checkbox.
    let terms = terms(
        "CT-9100",
        tercero,
        None,
        PaymentModality::Fijo {
            canon: money(10_000_000),
        },
        d(2027, 3, 1),
        365,
    );
    let id = contract(app, terms).await;
    let calc = format!("/indices/ajustes/{id}?anio=2027&valor=51&fecha=2027-03-01");
    let html = page(gus.get(&calc).await, 200).await;
    assert!(
        html.contains("El valor es 10 veces el IPC registrado para 2026 (5,1 %)."),
        "{html}"
    );
    let confirm = |confirmar: &'static str| {
        vec![
            ("anio", "2027"),
            ("valor", "5,1"),
            ("fecha", "2027-03-01"),
            ("confirmar", confirmar),
        ]
    };
    let html = page(
        gus.post(&format!("/indices/ajustes/{id}"), &confirm(""))
            .await,
        422,
    )
    .await;
    assert!(html.contains("Marque la casilla para confirmar el nuevo canon."));
    assert!(html.contains("Confirmo el nuevo canon de $ 10.710.000 desde el 01/03/2027"));
    let response = gus
        .post(&format!("/indices/ajustes/{id}"), &confirm("si"))
        .await;
    assert_eq!(response.status(), 303);

    // Sales reports: a híbrido contract running since 130 days ago.
    let terms = web_fixtures::terms(
        "CT-9001",
        tercero,
        None,
        PaymentModality::Hibrido {
            minimum: money(10_000_000),
            percentage: pct("8"),
        },
        today,
        130,
    );
    let id = contract(app, terms).await;
    let month = |back: i32| YearMonth::of(arriendo_events::add_months(today, -back));
    let deliver = |ym: YearMonth, fecha: String, ventas: &'static str, confirmar: &'static str| {
        let gus = &gus;
        async move {
            let base = format!("/contratos/{id}/informes-ventas");
            gus.post(
                &format!("{base}/nuevo"),
                &[
                    ("anio", ym.year().to_string().as_str()),
                    ("mes", ym.month().to_string().as_str()),
                ],
            )
            .await;
            let version = app
                .commands
                .load_contrato(&id.to_string())
                .await
                .unwrap()
                .unwrap_or_default()
                .versions
                .of(arriendo_events::ContratoPart::SalesReport(ym))
                .to_string();
            gus.post(
                &format!("{base}/{}/{}/entregar", ym.year(), ym.month()),
                &[
                    ("fecha", fecha.as_str()),
                    ("ventas_brutas", ventas),
                    ("devoluciones", "0"),
                    ("confirmar", confirmar),
                    ("version", version.as_str()),
                ],
            )
            .await
        }
    };
    // Two months of $150.000.000, then $15.000 (thousands typed as pesos): warned, not saved.
    for back in [3, 2] {
        let r = deliver(month(back), iso(today), "150.000.000", "").await;
        assert_eq!(r.status(), 303);
    }
    let html = page(deliver(month(1), iso(today), "15.000", "").await, 422).await;
    assert!(
        html.contains(
            "Las ventas netas son 10000 veces menor que la mediana de los últimos 2 meses ($ 150.000.000)."
        ),
        "{html}"
    );
    assert!(html.contains("name=\"confirmar\""));
    // Dated tomorrow: warned too.
    let tomorrow = today + Duration::days(1);
    let html = page(
        deliver(month(1), iso(tomorrow), "140.000.000", "").await,
        422,
    )
    .await;
    assert!(html.contains(&format!(
        "La fecha de entrega ({}) es posterior a hoy",
        tomorrow.format("%d/%m/%Y")
    )));
    // Confirmed, it is saved.
    let r = deliver(month(1), iso(today), "15.000", "si").await;
    assert_eq!(r.status(), 303);
}
both_engines!(money_safety_nets, super::money_safety_nets);

async fn post(who: &Browser, fields: [(&'static str, String); 4]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    who.post("/indices", &fields).await
}

/// The values the /indices form carries back (its hidden `vistos` field).
fn seen_in(html: &str) -> String {
    let start = html.find("name=\"vistos\" value=\"").unwrap() + "name=\"vistos\" value=\"".len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

/// Two gestores open /indices while IPC 2025 is 5,1 %: the first corrects it to 5,2 %; the second,
/// whose page still said 5,1 %, is refused beside the year instead of overwriting a correction they
/// never saw, and the form comes back with the value on file so sending it again is deliberate.
async fn a_stale_index_correction_is_refused(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("ana", Role::Gestor).await;
    let gus = web.logged_in("gus").await;
    let ana = web.logged_in("ana").await;
    let ipc_2025 = |valor: &'static str, vistos: &str| {
        [
            ("indice", "ipc".to_string()),
            ("anio", "2025".to_string()),
            ("valor", valor.to_string()),
            ("vistos", vistos.to_string()),
        ]
    };
    assert_eq!(post(&gus, ipc_2025("5,1", "")).await.status(), 303);
    let seen_by_gus = seen_in(&page(gus.get("/indices").await, 200).await);
    let seen_by_ana = seen_in(&page(ana.get("/indices").await, 200).await);
    assert!(seen_by_ana.contains("ipc:2025=5,1 %"), "{seen_by_ana}");

    let response = post(&gus, ipc_2025("5,2", &seen_by_gus)).await;
    assert_eq!(response.status(), 303);
    let html = page(post(&ana, ipc_2025("5,3", &seen_by_ana)).await, 422).await;
    assert!(
        html.contains("El valor de IPC 2025 cambió mientras lo editaba"),
        "{html}"
    );
    assert_eq!(
        arriendo::queries::indices::value(&web.app.db, "ipc", 2025)
            .await
            .unwrap()
            .as_deref(),
        Some("5.2")
    );
    // The form came back knowing 5,2 %: sent again, the correction is Ana's deliberate choice.
    let fresh = seen_in(&html);
    assert!(fresh.contains("ipc:2025=5,2 %"), "{fresh}");
    let response = post(&ana, ipc_2025("5,3", &fresh)).await;
    assert_eq!(response.status(), 303);
}
both_engines!(
    a_stale_index_correction_is_refused,
    super::a_stale_index_correction_is_refused
);

/// The version of a contract's terms, as the edit form would carry it.
async fn terms_version(app: &arriendo::App, id: &str) -> String {
    app.commands
        .load_contrato(id)
        .await
        .unwrap()
        .unwrap_or_default()
        .versions
        .of(arriendo_events::ContratoPart::Terms)
        .to_string()
}

/// Issue 16 item 8: date fields read dd/mm/aaaa in any browser language, so the server takes the
/// dates as a person types them (`31/12/2026`, `1/2/2026`) and the edit form shows them back the same way.
async fn dates_typed_as_dd_mm_aaaa(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let tenant = tenant(&web.app, "900123456-8", "Café Andino S.A.S.")
        .await
        .to_string();
    let local = local(&web.app, "Local 12").await.to_string();
    web.app.projector.catch_up().await.unwrap();
    let gus = web.logged_in("gus").await;
    let mut fields = form_fields("CT-DMY", &tenant, &local, d(2026, 2, 1), "11", "31/12/2026");
    set(&mut fields, "fecha_firma", "15/01/2026");
    set(&mut fields, "fecha_inicio", "1/2/2026");
    let id = created(&gus, &fields).await;
    let page = gus
        .get(&format!("/contratos/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("01/02/2026"), "start");
    assert!(page.contains("31/12/2026"), "end");
    let edit = gus
        .get(&format!("/contratos/{id}/editar"))
        .await
        .text()
        .await
        .unwrap();
    assert!(edit.contains("value=\"01/02/2026\""), "shown as dd/mm/aaaa");
    assert!(edit.contains("placeholder=\"dd/mm/aaaa\""));
    assert!(!edit.contains("type=\"date\""));
}
both_engines!(dates_typed_as_dd_mm_aaaa, super::dates_typed_as_dd_mm_aaaa);
