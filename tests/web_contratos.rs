//! The contract pages end to end over HTTP: a gestor creates a contract through the form (money
//! typed as `12.500.000`, a validation error shown beside its field with the input kept), drafts
//! and submits an Otro Sí raising the canon and moving the end date; an administrador approves it;
//! the contract page shows the new canon "modificado por OS-1" and the dashboard's "Vencimiento"
//! alert for it disappears. Also: list search and filters, a stale edit (conflict), renewals,
//! seguimientos, termination, and the role rules.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_support;

use arriendo_events::actor::Role;
use auth_support::{Browser, Web, form_version, location};
use chrono::Duration;
use common::Engine;
use reqwest::StatusCode;
use web_support::{contract_fields, iso, pairs, tercero_y_local};

async fn text(browser: &Browser, path: &str) -> String {
    let response = browser.get(path).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// The card of one alert kind on the dashboard.
fn card<'a>(html: &'a str, slug: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"alerta-{slug}\""))
        .unwrap_or_else(|| panic!("card {slug} on the dashboard"));
    let rest = &html[start..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    &rest[..end]
}

async fn create_contract(gestor: &Browser, fields: &[(String, String)]) -> String {
    let response = gestor.post("/contratos", &pairs(fields)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert!(to.starts_with("/contratos/"), "{to}");
    to.trim_start_matches("/contratos/").to_string()
}

async fn walk(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    web.add_user("ana-admin", Role::Administrador).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let gestor = web.logged_in("gus-gestor").await;

    // The form offers the tenant and the premises.
    let form = text(&gestor, "/contratos/nuevo").await;
    assert!(form.contains("Café Andino S.A.S."));
    assert!(form.contains("Local 12"));
    assert!(form.contains("data-money"));

    // A validation error beside its field, with what was typed kept.
    let mut bad = contract_fields(today, "CT-E2E-1", &tercero, &local);
    bad.retain(|(k, _)| k != "modalidad");
    bad.push(("modalidad".into(), "hibrido".into()));
    bad.push(("porcentaje".into(), "abc".into()));
    let response = gestor.post("/contratos", &pairs(&bad)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"campo-porcentaje-error\""),
        "error beside the field"
    );
    assert!(html.contains("«abc» no es un porcentaje válido"));
    assert!(html.contains("value=\"12.500.000\""), "money kept as typed");
    assert!(html.contains("value=\"abc\""));
    assert!(html.contains("value=\"CT-E2E-1\""));

    // Created through the form.
    let fields = contract_fields(today, "CT-E2E-1", &tercero, &local);
    let id = create_contract(&gestor, &fields).await;
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(
        page.contains("Contrato CT-E2E-1 creado."),
        "flash after redirect"
    );
    assert!(page.contains("$ 12.500.000"));
    assert!(page.contains("Café Andino S.A.S."));
    assert!(page.contains("IPC + 2 % (puntos)"));
    assert!(
        page.contains("Creó el contrato") || page.contains("contrato CT-E2E-1"),
        "history"
    );

    // The same number again is refused beside the field.
    let response = gestor.post("/contratos", &pairs(&fields)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Ya existe un contrato con el número CT-E2E-1.")
    );

    // The list finds it by number, tenant, NIT and premises, and filters it.
    for q in ["e2e-1", "andino", "900123456", "local+12"] {
        let list = text(&gestor, &format!("/contratos?q={q}")).await;
        assert!(list.contains("CT-E2E-1"), "search {q}");
    }
    assert!(!text(&gestor, "/contratos?q=zzz").await.contains("CT-E2E-1"));
    assert!(
        text(
            &gestor,
            "/contratos?modalidad=fijo&estado=vigente&clase=cliente&orden=fin&dir=desc"
        )
        .await
        .contains("CT-E2E-1")
    );
    assert!(
        !text(&gestor, "/contratos?modalidad=hibrido")
            .await
            .contains("CT-E2E-1")
    );

    // The dashboard shows its Vencimiento alert (ends in about 65 days).
    let dash = text(&gestor, "/").await;
    assert!(card(&dash, "vencimiento").contains("CT-E2E-1"));
    assert!(
        text(&gestor, "/alertas?tipo=vencimiento")
            .await
            .contains("CT-E2E-1")
    );

    // Otro Sí: raises the canon and moves the end date a year later.
    let new_end = today + Duration::days(425);
    let os = [
        ("vigencia_desde", iso(today)),
        ("descripcion", "Incremento pactado y prórroga".to_string()),
        ("canon", "13.000.000".to_string()),
        ("fecha_fin", iso(new_end)),
    ];
    let os: Vec<(&str, &str)> = os.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = gestor.post(&format!("/contratos/{id}/otrosi"), &os).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/contratos/{id}/otrosi/1"));
    let detail = text(&gestor, &format!("/contratos/{id}/otrosi/1")).await;
    assert!(detail.contains("OS-1"));
    assert!(detail.contains("Borrador"));
    assert!(detail.contains("$ 12.500.000"), "the canon in force today");
    assert!(detail.contains("$ 13.000.000"), "the new canon");

    // Edit the draft, then submit it.
    let edit = text(&gestor, &format!("/contratos/{id}/otrosi/1/editar")).await;
    assert!(edit.contains("value=\"13.000.000\""));
    let version = form_version(&edit);
    let mut os_edit = os.clone();
    os_edit.push(("version", &version));
    let response = gestor
        .post(&format!("/contratos/{id}/otrosi/1/editar"), &os_edit)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = gestor
        .post(&format!("/contratos/{id}/otrosi/1/enviar"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        text(&gestor, &format!("/contratos/{id}/otrosi/1"))
            .await
            .contains("En revisión")
    );

    // Only an administrador approves.
    let response = gestor
        .post(&format!("/contratos/{id}/otrosi/1/aprobar"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let admin = web.logged_in("ana-admin").await;
    // Approval asks first; confirmed, it approves.
    let response = admin
        .post(&format!("/contratos/{id}/otrosi/1/aprobar"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = admin
        .post(
            &format!("/contratos/{id}/otrosi/1/aprobar"),
            &[("confirmar", "si")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // The new canon in force, with the document that set it.
    let page = text(&admin, &format!("/contratos/{id}")).await;
    assert!(page.contains("OS-1 aprobado"), "flash");
    assert!(page.contains("$ 13.000.000 <span class=\"source-tag\">modificado por OS-1</span>"));
    assert!(page.contains("modificado por OS-1"));
    assert!(page.contains(&format!("{}", new_end.format("%d/%m/%Y"))));

    // The Vencimiento alert is gone: the end date moved beyond 90 days.
    let dash = text(&gestor, "/").await;
    assert!(
        !card(&dash, "vencimiento").contains("CT-E2E-1"),
        "alert gone"
    );
    assert!(
        !text(&gestor, "/alertas?tipo=vencimiento")
            .await
            .contains("CT-E2E-1")
    );

    // A stale edit: the administrador saves the terms while the gestor's form is open. A note
    // added meanwhile is an append: it does not make the form stale on its own.
    let edit = text(&gestor, &format!("/contratos/{id}/editar")).await;
    let marker = "name=\"version\" value=\"";
    let at = edit.find(marker).unwrap() + marker.len();
    let version = &edit[at..at + edit[at..].find('"').unwrap()];
    let response = admin
        .post(
            &format!("/contratos/{id}/seguimientos"),
            &[("nota", "Llamar al arrendatario")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut by_admin = fields.clone();
    by_admin.retain(|(k, _)| k != "objeto");
    by_admin.push((
        "objeto".into(),
        "Objeto fijado por la administradora".into(),
    ));
    by_admin.push(("version".into(), version.to_string()));
    by_admin.push(("motivo".into(), "Objeto según la cláusula primera".into()));
    let response = admin
        .post(&format!("/contratos/{id}/editar"), &pairs(&by_admin))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the note did not conflict"
    );
    let mut stale = fields.clone();
    stale.retain(|(k, _)| k != "objeto");
    stale.push(("objeto".into(), "Objeto escrito por el gestor".into()));
    stale.push(("version".into(), version.to_string()));
    stale.push(("motivo".into(), "Objeto corregido por el gestor".into()));
    let response = gestor
        .post(&format!("/contratos/{id}/editar"), &pairs(&stale))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(html.contains("El contrato cambió mientras lo editaba"));
    assert!(
        html.contains("Objeto fijado por la administradora"),
        "the stored value is shown"
    );
    assert!(html.contains("Objeto escrito por el gestor"), "input kept");
    assert!(html.contains("Estado actual del contrato"));
    // Saving again on the fresh version works.
    let marker_at = html.find(marker).unwrap() + marker.len();
    let fresh = &html[marker_at..marker_at + html[marker_at..].find('"').unwrap()];
    assert_ne!(fresh, version);
    stale.retain(|(k, _)| k != "version");
    stale.push(("version".into(), fresh.to_string()));
    let response = gestor
        .post(&format!("/contratos/{id}/editar"), &pairs(&stale))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Objeto escrito por el gestor"));
    assert!(page.contains("Llamar al arrendatario"));

    // Renewals: this contract has no automatic extension; the domain says so.
    let response = gestor
        .post(&format!("/contratos/{id}/renovaciones"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        text(&gestor, &format!("/contratos/{id}"))
            .await
            .contains("no tiene prórroga automática")
    );

    // Termination: a page says what will happen and asks; nothing changes until confirmed.
    let terminate = |confirm: &'static str| {
        let (gestor, id) = (&gestor, &id);
        let today = iso(today);
        async move {
            gestor
                .post(
                    &format!("/contratos/{id}/terminar"),
                    &[
                        ("fecha_terminacion", today.as_str()),
                        ("motivo", "Mutuo acuerdo"),
                        ("confirmar", confirm),
                    ],
                )
                .await
        }
    };
    let response = terminate("").await;
    assert_eq!(response.status(), StatusCode::OK);
    let asked = response.text().await.unwrap();
    assert!(asked.contains("Sí, terminar"), "{asked}");
    assert!(asked.contains("name=\"motivo\" value=\"Mutuo acuerdo\""));
    assert!(
        !text(&gestor, &format!("/contratos/{id}"))
            .await
            .contains("Terminado")
    );
    let response = terminate("si").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Mutuo acuerdo"));
    assert!(
        !page.contains("/otrosi/nuevo"),
        "no new amendments once terminated"
    );

    // Unknown ids and numbers are 404 pages in Spanish.
    let response = gestor.get("/contratos/no-existe").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = gestor.get(&format!("/contratos/{id}/otrosi/9")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn contract_and_otro_si_workflow_sqlite() {
    walk(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn contract_and_otro_si_workflow_postgres() {
    walk(Engine::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn renewal_proposed_approved_and_annulled() {
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    web.add_user("ana-admin", Role::Administrador).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let gestor = web.logged_in("gus-gestor").await;
    let mut fields = contract_fields(today, "CT-RA-1", &tercero, &local);
    fields.push(("prorroga".into(), "true".into()));
    let id = create_contract(&gestor, &fields).await;

    let response = gestor
        .post(&format!("/contratos/{id}/renovaciones"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Renovación RA-1 propuesta"));
    assert!(page.contains("Pendiente"));
    assert_eq!(
        gestor
            .post(&format!("/contratos/{id}/renovaciones/1/aprobar"), &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let admin = web.logged_in("ana-admin").await;
    let response = admin
        .post(
            &format!("/contratos/{id}/renovaciones/1/aprobar"),
            &[("confirmar", "si")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&admin, &format!("/contratos/{id}")).await;
    assert!(page.contains("Renovación RA-1 aprobada: el contrato sigue hasta el"));
    assert!(page.contains("badge-ok\">Aprobada"), "renewal approved");

    // An approved renewal is annulled only by an administrador.
    let response = gestor
        .post(
            &format!("/contratos/{id}/renovaciones/1/anular"),
            &[("motivo", "Error de digitación")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Solo un administrador puede anular una renovación aprobada."));
    let response = admin
        .post(
            &format!("/contratos/{id}/renovaciones/1/anular"),
            &[("motivo", "Error de digitación")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Anulada"));
    assert!(page.contains("Error de digitación"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn otro_si_rejected_and_deleted() {
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    web.add_user("ana-admin", Role::Administrador).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let gestor = web.logged_in("gus-gestor").await;
    let id = create_contract(
        &gestor,
        &contract_fields(today, "CT-OS-2", &tercero, &local),
    )
    .await;
    let from = iso(today);
    let os = [("vigencia_desde", from.as_str()), ("porcentaje", "")];
    // Nothing changed: refused with a message, the form kept.
    let response = gestor.post(&format!("/contratos/{id}/otrosi"), &os).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("El Otro Sí debe modificar al menos un campo.")
    );

    let os = [("vigencia_desde", from.as_str()), ("duracion_meses", "24")];
    assert_eq!(
        gestor
            .post(&format!("/contratos/{id}/otrosi"), &os)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        gestor
            .post(&format!("/contratos/{id}/otrosi/1/enviar"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let admin = web.logged_in("ana-admin").await;
    let page = text(&admin, &format!("/contratos/{id}/otrosi/1")).await;
    assert!(page.contains("Motivo del rechazo"));
    let response = admin
        .post(
            &format!("/contratos/{id}/otrosi/1/rechazar"),
            &[("motivo", "Falta la firma")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&admin, &format!("/contratos/{id}/otrosi/1")).await;
    assert!(page.contains("Rechazado"));
    assert!(page.contains("Falta la firma"));

    let response = gestor
        .post(&format!("/contratos/{id}/otrosi/1/eliminar"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("OS-1 eliminado."));
    assert!(page.contains("Este contrato no tiene Otro Sí."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hybrid_and_variable_contracts_with_grace_and_adjustment() {
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let gestor = web.logged_in("gus-gestor").await;
    let start = today - Duration::days(30);
    let set = |fields: &mut Vec<(String, String)>, k: &str, v: String| {
        fields.retain(|(name, _)| name != k);
        fields.push((k.to_string(), v));
    };

    // Híbrido: minimum + % of sales, a grace period and a fixed-date minimum-wage adjustment.
    let mut fields = contract_fields(today, "CT-HIB-1", &tercero, &local);
    set(&mut fields, "modalidad", "hibrido".into());
    set(&mut fields, "canon", "8.000.000".into());
    set(&mut fields, "porcentaje", "6,5".into());
    set(&mut fields, "ajuste_indice", "salario_minimo".into());
    set(&mut fields, "ajuste_puntos", "100".into());
    set(&mut fields, "ajuste_fecha", "fija".into());
    set(&mut fields, "ajuste_dia", "1".into());
    set(&mut fields, "ajuste_mes", "2".into());
    set(&mut fields, "gracia_desde", iso(start));
    set(&mut fields, "gracia_hasta", iso(start + Duration::days(59)));
    set(&mut fields, "gracia_canon", "0".into());
    set(
        &mut fields,
        "gracia_condicion",
        "Adecuaciones del local".into(),
    );
    // Without the sales report day: refused beside that field.
    let response = gestor.post("/contratos", &pairs(&fields)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"campo-dia_informe-error\""), "{html}");
    assert!(
        html.contains("value=\"Adecuaciones del local\"")
            || html.contains(">Adecuaciones del local</textarea>")
    );
    set(&mut fields, "dia_informe", "10".into());
    let id = create_contract(&gestor, &fields).await;
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Híbrido"));
    assert!(page.contains("Mínimo garantizado"));
    assert!(page.contains("$ 8.000.000"));
    assert!(page.contains("6,5 %"));
    assert!(page.contains("100 % del incremento del salario mínimo, cada 1 de febrero"));
    assert!(page.contains("Adecuaciones del local"));
    assert!(page.contains("Informes de ventas y facturación"));
    assert!(
        page.contains("periodo de gracia"),
        "the schedule shows the grace months"
    );

    // The edit form comes back with everything as stored.
    let edit = text(&gestor, &format!("/contratos/{id}/editar")).await;
    assert!(edit.contains("value=\"8.000.000\""));
    assert!(edit.contains("<option value=\"salario_minimo\" selected>"));
    assert!(edit.contains(">Adecuaciones del local</textarea>"));

    // Variable puro: only the percentage.
    // Another contract: without a local (Local 12 is leased to CT-HIB-1 on those days).
    let mut fields = contract_fields(today, "CT-VAR-1", &tercero, "");
    set(&mut fields, "modalidad", "variable".into());
    set(&mut fields, "canon", String::new());
    set(&mut fields, "porcentaje", "12".into());
    set(&mut fields, "dia_informe", "5".into());
    let id = create_contract(&gestor, &fields).await;
    let page = text(&gestor, &format!("/contratos/{id}")).await;
    assert!(page.contains("Variable puro"));
    assert!(page.contains("12 %"));
    assert!(
        text(&gestor, "/contratos?modalidad=variable")
            .await
            .contains("CT-VAR-1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_an_administrador_deletes_a_contract() {
    let web = Web::start(Engine::Sqlite).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    web.add_user("ana-admin", Role::Administrador).await;
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let gestor = web.logged_in("gus-gestor").await;
    let id = create_contract(
        &gestor,
        &contract_fields(today, "CT-DEL-1", &tercero, &local),
    )
    .await;
    let path = format!("/contratos/{id}/eliminar");
    let reason = [("motivo_eliminacion", "Registrado por error")];
    assert!(
        !text(&gestor, &format!("/contratos/{id}"))
            .await
            .contains(&path)
    );
    assert_eq!(
        gestor.post(&path, &reason).await.status(),
        StatusCode::FORBIDDEN
    );
    let admin = web.logged_in("ana-admin").await;
    assert!(
        text(&admin, &format!("/contratos/{id}"))
            .await
            .contains(&path)
    );
    let asked = admin.post(&path, &reason).await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert!(
        asked
            .text()
            .await
            .unwrap()
            .contains("Sí, eliminar CT-DEL-1")
    );
    assert!(
        text(&admin, "/contratos").await.contains(">CT-DEL-1</a>"),
        "not yet"
    );
    let response = admin
        .post(
            &path,
            &[
                ("motivo_eliminacion", "Registrado por error"),
                ("confirmar", "si"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/contratos");
    let list = text(&admin, "/contratos").await;
    assert!(list.contains("Contrato CT-DEL-1 eliminado."));
    assert!(!list.contains(">CT-DEL-1</a>"), "gone from the list");
    let page = text(&admin, &format!("/contratos/{id}")).await;
    assert!(
        page.contains("Registrado por error"),
        "the history stays readable"
    );
    assert!(!text(&admin, "/").await.contains("CT-DEL-1"), "no alerts");
}
