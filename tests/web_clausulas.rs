//! Catálogos (tipos de contrato y de servicio, cláusulas) and each contract's clause checklist over
//! HTTP: uniqueness refused in Spanish, inactive types not offered, the contract form's type,
//! missing mandatory clauses flagged and alerted, the audit page's history, stale forms refused,
//! and hostile input answered with a Spanish 422, never a 500.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;
mod web_support;

use arriendo::store::Metadata;
use arriendo_events::{
    Catalogos, CatalogosCommand, ClauseData, ClauseScope, ContractTerms, PaymentModality, Role,
    TypeCatalog,
};
use auth_support::{Browser, Web, form_version, location};
use common::Engine;
use uuid::Uuid;
use web_fixtures::*;
use web_support::{contract_fields, pairs, tercero_y_local};

async fn catalog(web: &Web) -> Catalogos {
    web.app.commands.load_catalogos().await.unwrap()
}

async fn type_named(web: &Web, name: &str) -> Uuid {
    catalog(web)
        .await
        .types
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.id)
        .unwrap()
}

/// Saves a checklist with the version the form showed; the status.
async fn save_list(gus: &Browser, path: &str, version: &str, clauses: &[&str]) -> u16 {
    let mut fields = vec![("version", version)];
    fields.extend(clauses.iter().map(|c| ("clausula", *c)));
    gus.post(path, &fields).await.status().as_u16()
}

/// Runs a catalog command as the fixtures' administrador and brings the pages up to date.
async fn on_catalogs(web: &Web, command: CatalogosCommand) {
    web.app
        .commands
        .catalogos(command, Metadata::system("test"))
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
}

async fn new_type(ana: &Browser, catalogo: &str, nombre: &str) -> reqwest::Response {
    ana.post(
        "/catalogos/tipos",
        &[("catalogo", catalogo), ("nombre", nombre)],
    )
    .await
}

async fn types_are_unique_renamed_deactivated_and_offered_on_the_contract_form(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;
    let ana = web.logged_in("ana").await;
    let gus = web.logged_in("gus").await;

    // Everyone reads the catalogs; only administradores change them.
    page(gus.get("/catalogos").await, 200).await;
    assert_eq!(
        gus.get("/catalogos/tipos/nuevo?catalogo=contrato")
            .await
            .status(),
        403
    );
    assert_eq!(new_type(&gus, "contrato", "BODEGAS").await.status(), 403);

    for (catalogo, nombre) in [
        ("contrato", "BODEGAS"),
        ("contrato", "ANTENAS"),
        ("servicio", "Tecnología"),
    ] {
        let response = new_type(&ana, catalogo, nombre).await;
        assert_eq!(response.status(), 303, "{nombre}");
    }
    let list = page(ana.get("/catalogos").await, 200).await;
    assert!(list.contains("BODEGAS") && list.contains("Tecnología"));
    assert!(list.contains("no son un catálogo"), "the IPC note");

    // The same name, whatever the case, accents and spaces: refused in Spanish, input kept.
    let html = page(new_type(&ana, "contrato", "  bodegas ").await, 422).await;
    assert!(
        html.contains("Ya existe un tipo de contrato llamado «BODEGAS»."),
        "{html}"
    );
    assert!(html.contains("value=\"  bodegas \""));
    let html = page(new_type(&ana, "servicio", "TECNOLOGIA").await, 422).await;
    assert!(html.contains("Ya existe un tipo de servicio llamado «Tecnología»."));
    // The other catalog is another namespace.
    assert_eq!(new_type(&ana, "servicio", "Bodegas").await.status(), 303);

    // Worst inputs: a 5.000-character name, a NUL, an unknown catalog.
    let html = page(new_type(&ana, "contrato", &"B".repeat(5_000)).await, 422).await;
    assert!(html.contains("admite como máximo 200 caracteres"));
    let html = page(new_type(&ana, "contrato", "BODE\u{0}GAS").await, 422).await;
    assert!(html.contains("caracteres de control no permitidos"));
    let html = page(new_type(&ana, "otro", "X").await, 422).await;
    assert!(html.contains("Elija si es un tipo de contrato o de servicio."));
    assert_eq!(
        ana.get("/catalogos/tipos/no-es-un-id/editar")
            .await
            .status(),
        404
    );

    // Renamed and deactivated with the version the form showed.
    let bodegas = type_named(&web, "BODEGAS").await;
    let edit = page(
        ana.get(&format!("/catalogos/tipos/{bodegas}/editar")).await,
        200,
    )
    .await;
    let seen = form_version(&edit);
    let response = ana
        .post(
            &format!("/catalogos/tipos/{bodegas}"),
            &[("nombre", "Bodegas Norte"), ("version", &seen)],
        )
        .await;
    assert_eq!(response.status(), 303);
    // A second form still at that version does not overwrite it.
    let html = page(
        ana.post(
            &format!("/catalogos/tipos/{bodegas}"),
            &[
                ("nombre", "Bodegas Sur"),
                ("activo", "true"),
                ("version", &seen),
            ],
        )
        .await,
        409,
    )
    .await;
    assert!(html.contains("Otra persona cambió este tipo"), "{html}");
    assert_eq!(
        catalog(&web)
            .await
            .find_type(bodegas)
            .map(|t| (t.name.clone(), t.active)),
        Some(("Bodegas Norte".to_string(), false))
    );

    // The contract form offers the active types only.
    let form = page(gus.get("/contratos/nuevo").await, 200).await;
    assert!(form.contains("name=\"tipo\""));
    assert!(form.contains("Tipo de contrato: ANTENAS"));
    assert!(form.contains("Tipo de servicio: Tecnología"));
    assert!(
        !form.contains("Bodegas Norte"),
        "an inactive type is not offered"
    );

    // A client contract with a tipo de contrato: shown on its page, filtered and exported.
    let (tercero, local) = tercero_y_local(&web.app).await;
    let today = arriendo::app::today();
    let antenas = type_named(&web, "ANTENAS").await.to_string();
    let tecnologia = type_named(&web, "Tecnología").await.to_string();
    let with_type = |number: &str, tipo: &str| {
        let mut fields = contract_fields(today, number, &tercero, &local);
        fields.push(("tipo".into(), tipo.into()));
        fields
    };
    let refused = [
        (
            tecnologia.clone(),
            "es un tipo de servicio: un contrato de cliente lleva un tipo de contrato",
        ),
        (bodegas.to_string(), "está inactivo"),
        (
            Uuid::now_v7().to_string(),
            "El tipo elegido no existe en el catálogo.",
        ),
        ("no-es-un-uuid".to_string(), "El tipo no existe."),
        // A NUL never reaches a handler (`entrada`): the same 422 as every form.
        ("\u{0}".to_string(), "caracteres de control no permitidos"),
    ];
    for (tipo, message) in refused {
        let fields = with_type("CT-T1", &tipo);
        let html = page(gus.post("/contratos", &pairs(&fields)).await, 422).await;
        assert!(html.contains(message), "{tipo:?}: {message}");
    }
    let fields = with_type("CT-T1", &antenas);
    let response = gus.post("/contratos", &pairs(&fields)).await;
    assert_eq!(response.status(), 303);
    let contract_path = location(&response);
    let detail = page(gus.get(&contract_path).await, 200).await;
    assert!(detail.contains("Tipo de contrato: ANTENAS"));
    let listed = page(gus.get(&format!("/contratos?tipo={antenas}")).await, 200).await;
    assert!(listed.contains("CT-T1"));
    let other = page(gus.get(&format!("/contratos?tipo={tecnologia}")).await, 200).await;
    assert!(!other.contains("CT-T1"));
    let csv = gus
        .get("/contratos/exportar?formato=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Tipo") && csv.contains("ANTENAS"), "{csv}");

    // Deactivated afterwards: the contract keeps it, its edit form still offers it and saves.
    let antenas_id = type_named(&web, "ANTENAS").await;
    let version = catalog(&web).await.find_type(antenas_id).unwrap().version;
    on_catalogs(
        &web,
        CatalogosCommand::UpdateType {
            actor: admin(),
            id: antenas_id,
            name: "ANTENAS".into(),
            active: false,
            expected_version: version,
        },
    )
    .await;
    let edit = page(gus.get(&format!("{contract_path}/editar")).await, 200).await;
    assert!(edit.contains("Tipo de contrato: ANTENAS (inactivo)"));
    let mut fields = with_type("CT-T1", &antenas);
    fields.push(("version".into(), form_version(&edit)));
    fields.push(("motivo".into(), "Corrección del objeto".into()));
    fields.retain(|(k, _)| k != "objeto");
    fields.push(("objeto".into(), "Antena en cubierta".into()));
    let response = gus
        .post(&format!("{contract_path}/editar"), &pairs(&fields))
        .await;
    assert_eq!(response.status(), 303);
    let detail = page(gus.get(&contract_path).await, 200).await;
    assert!(detail.contains("Tipo de contrato: ANTENAS (inactivo)"));
}
both_engines!(
    types_are_unique_and_offered,
    super::types_are_unique_renamed_deactivated_and_offered_on_the_contract_form
);

/// A catalog with a tipo de contrato and three clauses: «Objeto» mandatory for every client
/// contract, «Canon» for the type, «Arbitraje» optional.
async fn seed(web: &Web) -> (Uuid, [Uuid; 3]) {
    let type_id = Uuid::now_v7();
    let clauses = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
    let mut commands = vec![CatalogosCommand::RegisterType {
        actor: admin(),
        id: type_id,
        catalog: TypeCatalog::Contrato,
        name: "STAND PRIMER PISO".into(),
    }];
    for (i, (id, title)) in clauses
        .iter()
        .zip([
            "Cláusula de Objeto",
            "Cláusula de Canon",
            "Cláusula de Arbitraje",
        ])
        .enumerate()
    {
        commands.push(CatalogosCommand::RegisterClause {
            actor: admin(),
            id: *id,
            clause: ClauseData {
                title: title.into(),
                text: String::new(),
                category: "General".into(),
                order: u32::try_from(i).unwrap(),
                active: true,
            },
        });
    }
    for (clause, scope) in [
        (clauses[0], ClauseScope::AllClient),
        (clauses[1], ClauseScope::ContractType(type_id)),
    ] {
        commands.push(CatalogosCommand::SetMandatory {
            actor: admin(),
            clause_id: clause,
            scope,
            mandatory: true,
        });
    }
    for command in commands {
        on_catalogs(web, command).await;
    }
    (type_id, clauses)
}

async fn checklist_flags_missing_clauses_alerts_and_keeps_its_history(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;
    web.add_user("aud", Role::Auditor).await;
    let gus = web.logged_in("gus").await;
    let (type_id, [objeto, canon, arbitraje]) = seed(&web).await;
    let today = arriendo::app::today();
    let tercero = tenant(&web.app, "900123456", "Café Andino S.A.S.").await;
    let id = contract(
        &web.app,
        ContractTerms {
            type_id: Some(type_id),
            ..terms(
                "CT-C1",
                tercero,
                None,
                PaymentModality::Fijo {
                    canon: money(5_000_000),
                },
                today,
                100,
            )
        },
    )
    .await;
    let path = format!("/contratos/{id}/clausulas");

    // Never recorded: both mandatory clauses missing, the alert on the panel and in the export.
    let html = page(gus.get(&path).await, 200).await;
    assert!(html.contains("Faltan 2 cláusulas obligatorias"), "{html}");
    assert!(html.contains("Tipo de contrato: STAND PRIMER PISO"));
    let alerts = page(gus.get("/alertas?tipo=clausulas-faltantes").await, 200).await;
    assert!(alerts.contains("CT-C1") && alerts.contains("Cláusulas obligatorias faltantes"));
    let csv = gus
        .get("/alertas/exportar?formato=csv&tipo=clausulas-faltantes")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("CT-C1"), "{csv}");
    let first_version = form_version(&html);

    // Saved without completing it (allowed): what is missing is said, the alert stays.
    let objeto_text = objeto.to_string();
    let arbitraje_text = arbitraje.to_string();
    assert_eq!(
        save_list(
            &gus,
            &path,
            &first_version,
            &[&objeto_text, &arbitraje_text]
        )
        .await,
        303
    );
    let html = page(gus.get(&path).await, 200).await;
    assert!(html.contains("Falta 1 cláusula obligatoria"), "{html}");
    assert!(html.contains("Agregó: Cláusula de Objeto, Cláusula de Arbitraje"));
    let alerts = page(gus.get("/alertas?tipo=clausulas-faltantes").await, 200).await;
    assert!(
        alerts.contains("le falta 1 cláusula obligatoria: Cláusula de Canon"),
        "{alerts}"
    );

    // A second form still showing the first version does not overwrite the list: 409.
    let html = page(
        gus.post(
            &path,
            &[("version", &first_version), ("clausula", &objeto_text)],
        )
        .await,
        409,
    )
    .await;
    assert!(html.contains("Otra persona guardó la lista de cláusulas"));

    // Completed with the current version: nothing missing, the alert gone, the history says who
    // removed and added what.
    let current = form_version(&page(gus.get(&path).await, 200).await);
    let canon_text = canon.to_string();
    assert_eq!(
        save_list(&gus, &path, &current, &[&objeto_text, &canon_text]).await,
        303
    );
    let html = page(gus.get(&path).await, 200).await;
    assert!(html.contains("El contrato tiene todas las cláusulas obligatorias."));
    assert!(html.contains("Agregó: Cláusula de Canon"));
    assert!(html.contains("Quitó: Cláusula de Arbitraje"));
    assert!(html.contains("gus"));
    let alerts = page(gus.get("/alertas?tipo=clausulas-faltantes").await, 200).await;
    assert!(!alerts.contains("CT-C1"));
    let detail = page(gus.get(&format!("/contratos/{id}")).await, 200).await;
    assert!(detail.contains("Lista de cláusulas y su historial"));

    // Hostile input: unknown or malformed ids, a repeated id, a NUL: a Spanish 422.
    let current = form_version(&page(gus.get(&path).await, 200).await);
    let unknown = Uuid::now_v7().to_string();
    for (fields, message) in [
        (
            vec![("clausula", unknown.as_str())],
            "no existe en el catálogo",
        ),
        (
            vec![("clausula", "x\u{0}y")],
            "caracteres de control no permitidos",
        ),
        (
            vec![
                ("clausula", objeto_text.as_str()),
                ("clausula", objeto_text.as_str()),
            ],
            "está repetida en la lista",
        ),
    ] {
        let mut fields = fields;
        fields.push(("version", &current));
        let html = page(gus.post(&path, &fields).await, 422).await;
        assert!(html.contains(message), "{fields:?}");
    }
    let long = "c".repeat(5_000);
    page(
        gus.post(&path, &[("version", &current), ("clausula", &long)])
            .await,
        422,
    )
    .await;
    let html = page(
        gus.post(&path, &[("version", "abc"), ("clausula", &objeto_text)])
            .await,
        409,
    )
    .await;
    assert!(html.contains("Otra persona guardó la lista"));

    // An inactive clause is not offered and cannot be added.
    let version = catalog(&web).await.find_clause(arbitraje).unwrap().version;
    on_catalogs(
        &web,
        CatalogosCommand::UpdateClause {
            actor: admin(),
            id: arbitraje,
            clause: ClauseData {
                title: "Cláusula de Arbitraje".into(),
                text: String::new(),
                category: "General".into(),
                order: 2,
                active: false,
            },
            expected_version: version,
        },
    )
    .await;
    let html = page(gus.get(&path).await, 200).await;
    assert!(!html.contains(&format!("value=\"{arbitraje}\"")));
    let html = page(
        gus.post(
            &path,
            &[
                ("version", &current),
                ("clausula", &objeto_text),
                ("clausula", &arbitraje_text),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(html.contains("está inactiva"));

    // Auditors read the page and cannot save.
    let aud = web.logged_in("aud").await;
    page(aud.get(&path).await, 200).await;
    assert_eq!(
        aud.post(&path, &[("version", &current)]).await.status(),
        403
    );
}
both_engines!(
    checklist_and_alert,
    super::checklist_flags_missing_clauses_alerts_and_keeps_its_history
);

async fn clause_form_sets_mandatory_scopes_and_refuses_unknown_ones(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    let ana = web.logged_in("ana").await;
    let (type_id, _) = seed(&web).await;
    let scope = format!("tipo:{type_id}");
    let response = ana
        .post(
            "/catalogos/clausulas",
            &[
                ("titulo", "Cláusula de Confidencialidad"),
                ("categoria", "Información"),
                ("orden", "4"),
                ("activa", "true"),
                ("texto", "Las partes guardarán reserva."),
                ("obligatoria", "proveedor"),
                ("obligatoria", &scope),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let list = page(ana.get("/catalogos").await, 200).await;
    assert!(
        list.contains("todos los contratos de proveedor; tipo de contrato STAND PRIMER PISO"),
        "{list}"
    );
    let html = page(
        ana.post(
            "/catalogos/clausulas",
            &[("titulo", "CLAUSULA DE CONFIDENCIALIDAD"), ("orden", "5")],
        )
        .await,
        422,
    )
    .await;
    assert!(html.contains("Ya existe una cláusula llamada «Cláusula de Confidencialidad»."));
    for (field, value, message) in [
        (
            "obligatoria",
            format!("tipo:{}", Uuid::now_v7()),
            "Elija alcances de la lista.",
        ),
        (
            "obligatoria",
            "todos".to_string(),
            "Elija alcances de la lista.",
        ),
        (
            "orden",
            "-1".to_string(),
            "El orden debe ser un número entero",
        ),
        ("orden", "100001".to_string(), "fuera del rango permitido"),
        (
            "titulo",
            "T".repeat(3_000),
            "admite como máximo 200 caracteres",
        ),
    ] {
        let mut fields = vec![("titulo", "Cláusula nueva"), ("orden", "1")];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, &value));
        let html = page(ana.post("/catalogos/clausulas", &fields).await, 422).await;
        assert!(html.contains(message), "{field}={value:.20}: {message}");
    }
    // Unticking a scope on edit removes it.
    let clause = catalog(&web)
        .await
        .clauses
        .iter()
        .find(|c| c.data.title == "Cláusula de Confidencialidad")
        .unwrap()
        .id;
    let edit = page(
        ana.get(&format!("/catalogos/clausulas/{clause}/editar"))
            .await,
        200,
    )
    .await;
    let response = ana
        .post(
            &format!("/catalogos/clausulas/{clause}"),
            &[
                ("titulo", "Cláusula de Confidencialidad"),
                ("orden", "4"),
                ("activa", "true"),
                ("obligatoria", "proveedor"),
                ("version", &form_version(&edit)),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        catalog(&web).await.scopes_of(clause),
        vec![ClauseScope::AllSupplier]
    );
}
both_engines!(
    clause_form,
    super::clause_form_sets_mandatory_scopes_and_refuses_unknown_ones
);

/// The catalogs are one stream: administradores registering types at the same moment all get
/// theirs (a lost race is decided again), and of several racing for one name exactly one wins.
async fn concurrent_registrations_neither_fail_nor_duplicate(engine: Engine) {
    let web = Web::start(engine).await;
    let register = |name: String| {
        let app = web.app.clone();
        tokio::spawn(async move {
            app.commands
                .catalogos(
                    CatalogosCommand::RegisterType {
                        actor: admin(),
                        id: Uuid::now_v7(),
                        catalog: TypeCatalog::Servicio,
                        name,
                    },
                    Metadata::system("test"),
                )
                .await
        })
    };
    let distinct: Vec<_> = (0..8).map(|i| register(format!("Servicio {i}"))).collect();
    for task in distinct {
        task.await.unwrap().unwrap();
    }
    let same: Vec<_> = ["Aseo", "ASEO", "aseo "]
        .into_iter()
        .map(|n| register(n.to_string()))
        .collect();
    let mut won = 0;
    for task in same {
        match task.await.unwrap() {
            Ok(()) => won += 1,
            Err(e) => assert!(
                e.to_string()
                    .contains("ya existe un tipo de servicio llamado"),
                "{e}"
            ),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(catalog(&web).await.types.len(), 9);
}
both_engines!(
    concurrent_registrations,
    super::concurrent_registrations_neither_fail_nor_duplicate
);
