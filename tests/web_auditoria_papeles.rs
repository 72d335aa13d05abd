//! Issue 12, items 2, 5, 6 and 7: the auditor's working papers. A contract with two Otro Sí, an
//! adjustment, a renewal and an edit (with its «motivo») is read at dates before, between and after
//! them; its history and the log export as CSV, XLSX and JSON and agree with the pages; the chain's
//! state shows on `/auditoria`; every export and view of the past lands in the trail of reads; the
//! auditor changes nothing. Both engines.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use std::collections::BTreeSet;

use arriendo_events::Role;
use auth_support::{Browser, Web};
use calamine::{Data, Reader, Xlsx};
use common::Engine;
use web_fixtures::*;

async fn get(who: &Browser, path: &str, status: u16) -> reqwest::Response {
    let response = who.get(path).await;
    assert_eq!(response.status().as_u16(), status, "{path}");
    response
}

async fn html(who: &Browser, path: &str, status: u16) -> String {
    get(who, path, status).await.text().await.unwrap()
}

async fn the_contract_reads_the_same_before_between_and_after(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let id = audited_contract(&web.app).await;
    let aud = web.logged_in("aud").await;
    let page = format!("/contratos/{id}");
    for (day, shown, source) in [
        ("2024-03-01", "$ 10.000.000", None),
        ("2024-10-01", "$ 11.000.000", Some("OS-1")),
        ("2025-03-01", "$ 11.792.000", None),
        ("2025-09-01", "$ 12.500.000", Some("OS-2")),
    ] {
        let text = html(&aud, &format!("{page}?vigente={day}"), 200).await;
        assert!(text.contains(shown), "{day}: {shown}\n{text}");
        if let Some(source) = source {
            assert!(text.contains(&format!("modificado por {source}")), "{day}");
        }
        // The printable version shows the same terms and the whole history, without forms.
        let printed = html(&aud, &format!("{page}/imprimir?vigente={day}"), 200).await;
        assert!(printed.contains(shown), "{day} printed");
        assert!(printed.contains("Impreso el"));
        assert!(
            !printed.contains("action=\"/contratos/"),
            "nothing to change on paper"
        );
    }
    // After the renewal: the end date is the renewal's.
    let renewed = html(&aud, &format!("{page}?vigente=2027-06-01"), 200).await;
    assert!(renewed.contains("RA-1"), "{renewed}");
    // The edit's reason is in the history and on its event page.
    let today = html(&aud, &page, 200).await;
    assert!(today.contains("Motivo: Preaviso corregido según la cláusula 5"));
    assert!(today.contains("Ver cambios"));
    assert!(today.contains("/auditoria?contrato=CT-PAP-1"));
    // A print of the whole history lists every event of the contract.
    let stream = arriendo::store::event_log::read_stream(&web.app.db, "contrato", &id.to_string())
        .await
        .unwrap();
    let printed = html(&aud, &format!("{page}/imprimir"), 200).await;
    assert_eq!(
        printed.matches("class=\"timeline-entry\"").count(),
        stream.len()
    );
    // The auditor changes nothing, not even through the forms of a printed page.
    let refused = aud
        .post(&format!("{page}/seguimientos"), &[("nota", "Visita")])
        .await;
    assert_eq!(refused.status().as_u16(), 403);
}
both_engines!(
    the_contract_reads_the_same_before_between_and_after,
    super::the_contract_reads_the_same_before_between_and_after
);

/// Rows of a CSV export: the header, then one row per event.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn the_history_and_the_log_export_and_agree(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    web.add_user("gus", Role::Gestor).await;
    let id = audited_contract(&web.app).await;
    let aud = web.logged_in("aud").await;
    let stream = arriendo::store::event_log::read_stream(&web.app.db, "contrato", &id.to_string())
        .await
        .unwrap();
    let export = format!("/contratos/{id}/historial/exportar");

    // CSV: one row per event in order, each with its digest; the edit with its reason and what it
    // changed; a typed note cannot become a formula.
    let response = get(&aud, &format!("{export}?formato=csv"), 200).await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("historial-CT-PAP-1-")
    );
    let rows = csv_rows(&response.bytes().await.unwrap());
    assert_eq!(rows[0][0], "Posición");
    assert!(rows[0].contains(&"Cambios".to_string()));
    assert_eq!(rows.len() - 1, stream.len());
    let positions: Vec<i64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(
        positions,
        stream.iter().map(|e| e.position).collect::<Vec<_>>()
    );
    let digest_col = rows[0].iter().position(|h| h == "Huella SHA-256").unwrap();
    for (row, event) in rows[1..].iter().zip(&stream) {
        let stored = arriendo::audit::seal::digest_at(&web.app.db, event.position)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row[digest_col], stored);
    }
    let edit = rows.last().unwrap();
    assert!(
        edit.iter()
            .any(|c| c.contains("Motivo: Preaviso corregido según la cláusula 5"))
    );
    assert!(
        edit.iter()
            .any(|c| c.contains("terms.preaviso_days: 60 → 90"))
    );

    // XLSX: the title, then the header and the same rows, typed.
    let bytes = get(&aud, &format!("{export}?formato=xlsx"), 200)
        .await
        .bytes()
        .await
        .unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Eventos").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String(
            "Arriendo — Historial del contrato CT-PAP-1".into()
        ))
    );
    let header = 5;
    assert_eq!(
        sheet.get_value((header, 0)),
        Some(&Data::String("Posición".into()))
    );
    for (i, event) in stream.iter().enumerate() {
        let row = header + 1 + i as u32;
        assert_eq!(
            sheet.get_value((row, 0)),
            Some(&Data::Float(event.position as f64))
        );
        assert!(
            matches!(sheet.get_value((row, 1)), Some(Data::DateTime(_))),
            "recorded_at is a date cell"
        );
    }
    assert_eq!(sheet.height() as u32, header + 1 + stream.len() as u32);

    // Every browser asks for gzip: the XLSX still arrives whole (the stream ends once, cleanly).
    let response = aud
        .client
        .get(aud.url(&format!("{export}?formato=xlsx")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let gzipped = response
        .headers()
        .get("content-encoding")
        .is_some_and(|v| v == "gzip");
    let body = response.bytes().await.unwrap().to_vec();
    let body = if gzipped {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut out).unwrap();
        out
    } else {
        body
    };
    let mut again = Xlsx::new(std::io::Cursor::new(body)).unwrap();
    assert_eq!(
        again.worksheet_range("Eventos").unwrap().height() as u32,
        header + 1 + stream.len() as u32
    );

    // JSON: the events exactly as stored, with their digests.
    let json: serde_json::Value = get(&aud, &format!("{export}?formato=json"), 200)
        .await
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), stream.len());
    for (exported, stored) in events.iter().zip(&stream) {
        assert_eq!(exported["payload"], stored.payload);
        assert_eq!(exported["metadata"], stored.metadata);
        assert_eq!(exported["event_type"], stored.event_type.as_str());
        assert_eq!(exported["digest"].as_str().unwrap().len(), 64);
    }
    assert_eq!(json["exported_by"], "aud");

    // The log, filtered: the export lists exactly the events the pages list.
    let filtered = "/auditoria?contrato=CT-PAP-1&evento=OtroSiApproved";
    let listed = html(&aud, filtered, 200).await;
    assert!(listed.contains("formato=xlsx"), "export links on the page");
    let doc = scraper::Html::parse_document(&listed);
    let cell = scraper::Selector::parse("tbody tr td.num").unwrap();
    let on_page: BTreeSet<i64> = doc
        .select(&cell)
        .map(|c| c.text().collect::<String>().trim().parse().unwrap())
        .collect();
    let bytes = get(
        &aud,
        "/auditoria/exportar?contrato=CT-PAP-1&evento=OtroSiApproved&formato=csv",
        200,
    )
    .await
    .bytes()
    .await
    .unwrap();
    let exported: BTreeSet<i64> = csv_rows(&bytes)[1..]
        .iter()
        .map(|r| r[0].parse().unwrap())
        .collect();
    assert_eq!(on_page.len(), 2, "two Otro Sí approved");
    assert_eq!(exported, on_page);
    // The whole log as JSON holds every business event.
    let json: serde_json::Value = get(&aud, "/auditoria/exportar?formato=json", 200)
        .await
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    assert!(json["events"].as_array().unwrap().len() > stream.len());

    // Bad requests: a Spanish 422, never a 500.
    let bad = html(&aud, &format!("{export}?formato=pdf"), 422).await;
    assert!(bad.contains("Elija CSV, XLSX o JSON"));
    html(&aud, "/auditoria/exportar?formato=csv&desde=zzz", 422).await;
    html(&aud, "/contratos/nadie/historial/exportar?formato=csv", 404).await;

    // The chain's state is on the log page.
    let log = html(&aud, "/auditoria", 200).await;
    assert!(log.contains("Cadena íntegra hasta la posición"), "{log}");

    // The trail of reads: exports, views of the past, a comparison and a print, with who.
    html(&aud, &format!("/contratos/{id}?vigente=2024-03-01"), 200).await;
    html(
        &aud,
        &format!("/contratos/{id}/comparar?a=2024-03-01&b=2025-09-01"),
        200,
    )
    .await;
    html(&aud, &format!("/contratos/{id}/imprimir"), 200).await;
    let trail = html(&aud, "/auditoria/lecturas", 200).await;
    for text in [
        "Exportación",
        "formato xlsx; historial completo",
        "contrato CT-PAP-1, evento OtroSiApproved",
        "Vista en otra fecha",
        "en vigor el 2024-03-01",
        "Comparación",
        "Impresión",
        "<td data-label=\"Usuario\">aud</td>",
    ] {
        assert!(trail.contains(text), "{text}\n{trail}");
    }
    // Gestores read contracts but not the trail.
    let gus = web.logged_in("gus").await;
    get(&gus, "/auditoria/lecturas", 403).await;
}
both_engines!(
    the_history_and_the_log_export_and_agree,
    super::the_history_and_the_log_export_and_agree
);

/// Item 3: two dates compare terms, money and pólizas; two events compare what each left recorded.
async fn two_points_compare_terms_money_and_polizas(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("aud", Role::Auditor).await;
    let id = audited_contract(&web.app).await;
    let aud = web.logged_in("aud").await;
    let page = format!("/contratos/{id}/comparar");
    let dates = html(&aud, &format!("{page}?a=2024-03-01&b=2025-09-01"), 200).await;
    for text in [
        "En vigor el 01/03/2024",
        "En vigor el 01/09/2025",
        "Canon del mes (calendario)",
        "RCE RCE-77 (vigente)",
        "RCE RCE-77 (vencida)",
    ] {
        assert!(dates.contains(text), "{text}\n{dates}");
    }
    let stream = arriendo::store::event_log::read_stream(&web.app.db, "contrato", &id.to_string())
        .await
        .unwrap();
    let first_approval = stream
        .iter()
        .find(|e| e.event_type == "OtroSiApproved")
        .unwrap()
        .position;
    let edit = stream.last().unwrap().position;
    let events = html(
        &aud,
        &format!("{page}?ea={first_approval}&eb={edit}&fecha=2025-09-01"),
        200,
    )
    .await;
    for text in [
        format!("Después del evento {first_approval} (OtroSiApproved)"),
        format!("Después del evento {edit} (ContractTermsUpdated)"),
        "$ 11.000.000 (OS-1)".into(),
        "$ 12.500.000 (OS-2)".into(),
        "entre los dos eventos.".into(),
    ] {
        assert!(events.contains(&text), "{text}\n{events}");
    }
    assert!(events.matches("is-changed").count() >= 3, "{events}");
    let bad = html(&aud, &format!("{page}?ea=999999999&eb={edit}"), 422).await;
    assert!(bad.contains("Elija un evento de este contrato."));
}
both_engines!(
    two_points_compare_terms_money_and_polizas,
    super::two_points_compare_terms_money_and_polizas
);

/// The edit form asks for the reason when the terms change, in the same round as other mistakes.
async fn an_edit_without_a_reason_is_refused(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("gus", Role::Gestor).await;
    let id = audited_contract(&web.app).await;
    let gus = web.logged_in("gus").await;
    let form = html(&gus, &format!("/contratos/{id}/editar"), 200).await;
    assert!(form.contains("name=\"motivo\""));
    let mut fields = arriendo_views_form_fields(&form);
    fields.retain(|(k, _)| k != "preaviso_dias" && k != "motivo");
    fields.push(("preaviso_dias".into(), "120".into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = gus.post(&format!("/contratos/{id}/editar"), &pairs).await;
    assert_eq!(response.status().as_u16(), 422);
    let text = response.text().await.unwrap();
    assert!(text.contains("Escriba el motivo del cambio"), "{text}");
    let mut with_reason = pairs.clone();
    with_reason.push(("motivo", "Prórroga negociada"));
    let response = gus
        .post(&format!("/contratos/{id}/editar"), &with_reason)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let stream = arriendo::store::event_log::read_stream(&web.app.db, "contrato", &id.to_string())
        .await
        .unwrap();
    let last = stream.last().unwrap();
    assert_eq!(last.event_type, "ContractTermsUpdated");
    assert_eq!(
        last.payload["ContractTermsUpdated"]["reason"],
        "Prórroga negociada"
    );
}
both_engines!(
    an_edit_without_a_reason_is_refused,
    super::an_edit_without_a_reason_is_refused
);

/// The values a form would submit: inputs (checked boxes only), selected options and textareas.
fn arriendo_views_form_fields(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let form = scraper::Selector::parse("form.form").unwrap();
    let input = scraper::Selector::parse("input[name]").unwrap();
    let select = scraper::Selector::parse("select[name]").unwrap();
    let option = scraper::Selector::parse("option[selected]").unwrap();
    let textarea = scraper::Selector::parse("textarea[name]").unwrap();
    let form = doc.select(&form).next().unwrap();
    let mut fields = Vec::new();
    for i in form.select(&input) {
        let v = i.value();
        if v.attr("type") == Some("checkbox") && v.attr("checked").is_none() {
            continue;
        }
        fields.push((
            v.attr("name").unwrap().to_string(),
            v.attr("value").unwrap_or("").to_string(),
        ));
    }
    for s in form.select(&select) {
        let value = s
            .select(&option)
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("");
        fields.push((s.value().attr("name").unwrap().to_string(), value.into()));
    }
    for t in form.select(&textarea) {
        fields.push((
            t.value().attr("name").unwrap().to_string(),
            t.text().collect(),
        ));
    }
    fields
}
