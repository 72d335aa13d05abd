//! Fixtures for the contract and dashboard tests: a tercero and a local registered with commands,
//! and the fields of the contract form as a person fills them in.
#![allow(dead_code, clippy::unwrap_used)]

use arriendo::App;
use arriendo::store::Metadata;
use arriendo_events::{
    Actor, Area, LocalCommand, LocalData, Nit, Role, TerceroCommand, TerceroData, TerceroKind,
};
use chrono::{Duration, NaiveDate};

/// Registers a tenant and a premises; returns their ids.
pub async fn tercero_y_local(app: &App) -> (String, String) {
    let actor = Actor::new("fixture", Role::Administrador);
    let tercero = uuid::Uuid::now_v7().to_string();
    app.commands
        .tercero(
            &tercero,
            TerceroCommand::RegisterTercero {
                actor: actor.clone(),
                data: TerceroData {
                    nit: Nit::parse("900123456").unwrap(),
                    razon_social: "Café Andino S.A.S.".into(),
                    kind: TerceroKind::Arrendatario,
                    legal_representative: None,
                    supervisor_name: None,
                    supervisor_email: None,
                },
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    let local = uuid::Uuid::now_v7().to_string();
    app.commands
        .local(
            &local,
            LocalCommand::RegisterLocal {
                actor,
                data: LocalData {
                    name: "Local 12".into(),
                    location: "Primer piso".into(),
                    area_m2: Area::parse("45,5").unwrap(),
                },
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    app.projector.catch_up().await.unwrap();
    (tercero, local)
}

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A fixed-canon contract that started 300 days ago for 12 months, so it ends in about 65 days
/// (the "Vencimiento" alert fires), canon typed as `12.500.000`.
pub fn contract_fields(
    today: NaiveDate,
    number: &str,
    tercero: &str,
    local: &str,
) -> Vec<(String, String)> {
    let start = today - Duration::days(300);
    // 12 months from the start, as the form requires: about 65 days from today.
    let end = arriendo_events::add_months(start, 12) - Duration::days(1);
    [
        ("numero", number.to_string()),
        ("clase", "cliente".into()),
        ("tercero", tercero.into()),
        ("local", local.into()),
        ("objeto", "Venta de café y repostería".into()),
        ("fecha_firma", iso(start)),
        ("fecha_inicio", iso(start)),
        ("duracion_meses", "12".into()),
        ("fecha_fin", iso(end)),
        ("preaviso_dias", "30".into()),
        ("terminacion_dias", "30".into()),
        ("modalidad", "fijo".into()),
        ("canon", "12.500.000".into()),
        ("ajuste_indice", "ipc".into()),
        ("ajuste_puntos", "2".into()),
        ("ajuste_fecha", "aniversario".into()),
        ("pol_rce", "true".into()),
        ("pol_rce_valor", "100.000.000".into()),
        ("pol_rce_meses", "3".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
