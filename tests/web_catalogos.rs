//! Terceros and locales pages over HTTP: register through the forms (duplicates refused beside
//! the field, input kept), list with search and filters, detail with contracts, edit.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::{PaymentModality, Role};
use auth_support::{Web, form_version, location};
use common::Engine;
use web_fixtures::*;

async fn register_a_tercero_refuse_a_duplicate_nit_and_edit_it(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let gus = web.logged_in("gus").await;

    // The form.
    let form = page(gus.get("/terceros/nuevo").await, 200).await;
    assert!(form.contains("name=\"nit\""));
    assert!(form.contains("name=\"razon_social\""));

    // Registered with dots and check digit.
    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "900.123.456-8"),
                ("razon_social", "Café Andino S.A.S."),
                ("tipo", "arrendatario"),
                ("representante", "Ana Pérez"),
                ("supervisor", ""),
                ("correo", "ana@andino.com.co"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail_path = location(&response);
    assert!(detail_path.starts_with("/terceros/"), "{detail_path}");
    let detail = page(gus.get(&detail_path).await, 200).await;
    assert!(detail.contains("Tercero «Café Andino S.A.S.» registrado."));
    assert!(detail.contains("900.123.456-8"));
    assert!(detail.contains("ana@andino.com.co"));
    assert!(detail.contains("No tiene contratos registrados."));

    // The same NIT typed without dots nor check digit, same kind: refused beside the field.
    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "900123456"),
                ("razon_social", "Otra Razón S.A.S."),
                ("tipo", "arrendatario"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("campo-nit-error"));
    assert!(html.contains("Ya existe un arrendatario con el NIT 900.123.456."));
    assert!(
        html.contains("NIT: ya existe un arrendatario con el NIT 900.123.456."),
        "the summary names the field"
    );
    assert!(html.contains("value=\"Otra Razón S.A.S.\""), "input kept");
    assert!(html.contains("value=\"900123456\""), "input kept");

    // As a proveedor the same NIT is allowed (unique per kind).
    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "9001234568"),
                ("razon_social", "Andino Servicios"),
                ("tipo", "proveedor"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);

    // A wrong check digit: the domain's Spanish message beside the field.
    let response = gus
        .post(
            "/terceros",
            &[
                ("nit", "800.197.268-1"),
                ("razon_social", "DIAN"),
                ("tipo", "proveedor"),
                ("correo", "no-es-correo"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("El dígito de verificación del NIT 800197268 debe ser 4."));
    assert!(html.contains("campo-correo-error"));

    // List: search by NIT with dots, filter by kind.
    let list = page(gus.get("/terceros?q=900.123").await, 200).await;
    assert!(list.contains("Café Andino S.A.S."));
    assert!(list.contains("Andino Servicios"));
    assert!(list.contains("2 terceros"));
    let list = page(gus.get("/terceros?tipo=proveedor").await, 200).await;
    assert!(!list.contains("Café Andino S.A.S."));
    assert!(list.contains("Andino Servicios"));
    let list = page(gus.get("/terceros?q=nadie").await, 200).await;
    assert!(list.contains("No hay terceros con esos filtros."));

    // Edit.
    let edit = page(gus.get(&format!("{detail_path}/editar")).await, 200).await;
    assert!(edit.contains("value=\"Café Andino S.A.S.\""));
    let version = form_version(&edit);
    let response = gus
        .post(
            &detail_path,
            &[
                ("nit", "900.123.456-8"),
                ("razon_social", "Café Andino Colombia S.A.S."),
                ("tipo", "arrendatario"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let detail = page(gus.get(&detail_path).await, 200).await;
    assert!(detail.contains("Café Andino Colombia S.A.S."));
    assert!(detail.contains("Cambios guardados."));
}
both_engines!(
    register_a_tercero_refuse_a_duplicate_nit_and_edit_it,
    super::register_a_tercero_refuse_a_duplicate_nit_and_edit_it
);

async fn tercero_and_local_pages_list_their_contracts(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let app = &web.app;
    let tercero = tenant(app, "860002964-4", "Droguería La Salud").await;
    let local_id = local(app, "Local 101").await;
    let today = arriendo::app::today();
    let terms = terms(
        "CT-7001",
        tercero,
        Some(local_id),
        PaymentModality::Fijo {
            canon: money(5_000_000),
        },
        today,
        30,
    );
    let contract_id = contract(app, terms).await;
    let aud = web.logged_in("aud").await;
    let html = page(aud.get(&format!("/terceros/{tercero}")).await, 200).await;
    assert!(html.contains("CT-7001"));
    assert!(html.contains(&format!("href=\"/contratos/{contract_id}\"")));
    assert!(html.contains("Vigente"));
    assert!(!html.contains("/editar"), "auditors see no edit button");
    let html = page(aud.get(&format!("/locales/{local_id}")).await, 200).await;
    assert!(html.contains("CT-7001"));
    assert!(html.contains("85,5 m²"));
    let list = page(aud.get("/locales").await, 200).await;
    assert!(list.contains("Local 101"));
    assert!(!list.contains("Nuevo local"));
    // Auditors cannot open the forms.
    assert_eq!(aud.get("/terceros/nuevo").await.status(), 403);
    assert_eq!(aud.get("/terceros/nadie").await.status(), 404);
}
both_engines!(
    tercero_and_local_pages_list_their_contracts,
    super::tercero_and_local_pages_list_their_contracts
);

async fn register_a_local_and_refuse_a_duplicate_name(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let gus = web.logged_in("gus").await;
    let response = gus
        .post(
            "/locales",
            &[
                ("nombre", "Local 205"),
                ("ubicacion", "Piso 2, bloque B"),
                ("area", "120,5"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let path = location(&response);
    let detail = page(gus.get(&path).await, 200).await;
    assert!(detail.contains("Local «Local 205» registrado."));
    assert!(detail.contains("120,5 m²"));

    let response = gus
        .post(
            "/locales",
            &[
                ("nombre", "local 205 "),
                ("ubicacion", "Piso 3"),
                ("area", "-4"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("campo-area-error"));
    assert!(html.contains(">Área (m²): "), "the summary names the field");
    let response = gus
        .post(
            "/locales",
            &[
                ("nombre", "local 205 "),
                ("ubicacion", "Piso 3"),
                ("area", "40"),
            ],
        )
        .await;
    let html = page(response, 422).await;
    assert!(html.contains("campo-nombre-error"));
    assert!(html.contains("Ya existe un local llamado «local 205»."));
    assert!(html.contains("value=\"Piso 3\""));

    // Edit keeps its own name.
    let edit = page(gus.get(&format!("{path}/editar")).await, 200).await;
    let version = form_version(&edit);
    let edited = [
        ("nombre", "Local 205"),
        ("ubicacion", "Piso 2, bloque C"),
        ("area", "120,5"),
        ("version", &version),
    ];
    let response = gus.post(&path, &edited).await;
    assert_eq!(response.status(), 303);
    // The same form sent again is from an older version now: 409, the stored values beside it.
    let response = gus
        .post(
            &path,
            &[
                ("nombre", "Local 205"),
                ("ubicacion", "Piso 4"),
                ("area", "120,5"),
                ("version", &version),
            ],
        )
        .await;
    let html = page(response, 409).await;
    assert!(html.contains("El local cambió mientras lo editaba"));
    assert!(html.contains("Piso 2, bloque C"), "the stored value");
    assert!(html.contains("value=\"Piso 4\""), "the user's input");
    let list = page(gus.get("/locales?q=bloque c").await, 200).await;
    assert!(list.contains("Local 205"));
}
both_engines!(
    register_a_local_and_refuse_a_duplicate_name,
    super::register_a_local_and_refuse_a_duplicate_name
);
