//! `docs/events.md` lists every event with its fields and version. This test regenerates the text
//! from the code and fails when the file differs; `UPDATE_DOCS=1 cargo test --test docs_events`
//! rewrites it.
#![allow(clippy::unwrap_used)]

use arriendo::auth::user::UserEvent;
use arriendo_events::actor::Role;
use cqrs_es::DomainEvent;

/// The account events, one sample of each variant: fields are read from their serialized form, so a
/// renamed field changes the document.
fn user_events() -> Vec<(String, String, Vec<String>)> {
    let hash = "$argon2id$…".to_string();
    let samples = vec![
        UserEvent::UserCreated {
            username: "ana".into(),
            role: Role::Gestor,
            password_hash: hash.clone(),
            temporary: true,
        },
        UserEvent::RoleChanged {
            role: Role::Auditor,
        },
        UserEvent::UserDeactivated,
        UserEvent::UserReactivated,
        UserEvent::PasswordChanged {
            password_hash: hash.clone(),
        },
        UserEvent::PasswordReset {
            password_hash: hash,
            temporary: true,
        },
        UserEvent::SessionsEnded,
    ];
    samples
        .into_iter()
        .map(|event| {
            let value = serde_json::to_value(&event).unwrap();
            let fields = value
                .as_object()
                .and_then(|o| o.values().next())
                .and_then(|inner| inner.as_object())
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            (event.event_type(), event.event_version(), fields)
        })
        .collect()
}

fn render() -> String {
    let mut out = String::from(
        "# Eventos de Arriendo\n\n\
         Generado por `tests/docs_events.rs` a partir del código (`UPDATE_DOCS=1 cargo test --test docs_events`).\n\n\
         Cada evento se guarda en la tabla `events` con su agregado, secuencia, tipo, versión, carga (JSON con\n\
         etiqueta externa: `{\"TipoDeEvento\": {campos…}}`), metadatos (`user`, `request_id`, `time`), posición\n\
         global y hora de registro. Cambiar el nombre de un campo exige subir la versión del evento y un\n\
         *upcaster* (`arriendo_events::upcasters()`), como el de `LocalRegistered` 0.9 → 1.0.\n",
    );
    let mut rows: Vec<(String, String, String, Vec<String>)> = arriendo_events::event_catalog()
        .into_iter()
        .map(|doc| {
            (
                doc.aggregate.to_string(),
                doc.event_type.to_string(),
                doc.version.to_string(),
                doc.fields.iter().map(|f| f.to_string()).collect(),
            )
        })
        .collect();
    rows.extend(
        user_events()
            .into_iter()
            .map(|(t, v, f)| ("usuario".to_string(), t, v, f)),
    );
    let mut aggregate = String::new();
    for (agg, event_type, version, fields) in rows {
        if agg != aggregate {
            out.push_str(&format!(
                "\n## Agregado `{agg}`\n\n| evento | versión | campos |\n|---|---|---|\n"
            ));
            aggregate = agg;
        }
        let fields = if fields.is_empty() {
            "—".to_string()
        } else {
            fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("| `{event_type}` | {version} | {fields} |\n"));
    }
    out
}

/// Everything from this line on in docs/events.md is written by hand and kept as it is.
const HAND_WRITTEN: &str =
    "<!-- Desde aquí el texto se escribe a mano: el generador lo conserva. -->";

#[test]
fn events_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/events.md");
    let current = std::fs::read_to_string(path).unwrap_or_default();
    let expected = match current.find(HAND_WRITTEN) {
        Some(at) => format!("{}\n{}", render(), &current[at..]),
        None => render(),
    };
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/events.md is out of date: run `UPDATE_DOCS=1 cargo test --test docs_events`"
    );
}
