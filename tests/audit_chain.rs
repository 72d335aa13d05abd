//! Tamper evidence on both engines: the chain of event digests is intact after commands and raw
//! appends; editing a payload, deleting, reordering or inserting an event directly in the database is
//! caught at its position; a chain rewritten as a whole no longer matches a backup's seal; a JSON
//! backup with a changed byte fails `backup verify` without its manifest; restores keep a valid chain.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod backup_support;
mod common;

use arriendo::audit::{self, BreakKind, ChainReport, EventRef};
use arriendo::backup::manifest::FileKind;
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::{BackupError, BackupOptions, Format, run_backup_with, verify};
use arriendo::store::event_log::{self, StoredEvent};
use arriendo::store::{Db, Engine as StoreEngine};
use backup_support::*;
use common::{Engine, TestStore};

/// 20 raw events at positions 2, 4 … 40 (seven locals), then 5 commands through cqrs-es (41 … 45),
/// then a catch-up, which seals.
async fn seeded(engine: Engine) -> TestStore {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 20).await;
    for i in 0..5 {
        write(store.db(), &format!("k{}", i % 2), i).await;
    }
    store.app.projector.catch_up().await.unwrap();
    store
}

async fn exec(db: &Db, sql: &str) {
    arriendo::on_pool!(db, pool => { sqlx::query(sql).execute(pool).await.unwrap(); });
}

fn at(events: &[StoredEvent], position: i64) -> EventRef {
    let e = events.iter().find(|e| e.position == position).unwrap();
    EventRef {
        aggregate_type: e.aggregate_type.clone(),
        aggregate_id: e.aggregate_id.clone(),
        sequence: e.sequence,
    }
}

fn broken_at(report: &ChainReport) -> (i64, BreakKind) {
    let b = report.broken.clone().expect("the chain should be broken");
    (b.position, b.kind)
}

async fn an_intact_store_verifies(engine: Engine) {
    let store = seeded(engine).await;
    let report = audit::verify(store.db()).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.sealed_head, 45);
    assert_eq!(report.intact_upto, 45);
    assert_eq!(report.intact_events, 25);
    assert_eq!(report.pending, 0);
    assert!(
        audit::summary(&report).starts_with("Cadena íntegra hasta la posición 45 (25 eventos)"),
        "{}",
        audit::summary(&report)
    );
    // The stored head is the chain recomputed by hand over the log.
    let mut previous = audit::canonical::GENESIS;
    for e in event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap()
    {
        previous = audit::canonical::chain(&previous, &e);
    }
    assert_eq!(
        report.intact_digest,
        Some(audit::canonical::to_hex(&previous))
    );
    // An event appended without a catch-up is pending until the next sealing.
    write(store.db(), "k9", 1).await;
    let report = audit::verify(store.db()).await.unwrap();
    assert!(report.is_intact());
    assert_eq!((report.sealed_head, report.pending), (45, 1));
    assert_eq!(audit::seal(store.db()).await.unwrap(), 1);
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!((report.intact_upto, report.pending), (46, 0));
}
both_engines!(an_intact_store_verifies, super::an_intact_store_verifies);

async fn an_edited_payload_is_caught_at_its_position(engine: Engine) {
    let store = seeded(engine).await;
    let events = event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap();
    let sql = match store.db().engine() {
        StoreEngine::Sqlite => {
            "UPDATE events SET payload = REPLACE(payload, 'Piso', 'Pis0') WHERE position = 10"
        }
        StoreEngine::Postgres => {
            "UPDATE events SET payload = REPLACE(payload::text, 'Piso', 'Pis0')::json WHERE position = 10"
        }
    };
    exec(store.db(), sql).await;
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report),
        (
            10,
            BreakKind::Edited {
                event: at(&events, 10)
            }
        )
    );
    assert_eq!(report.intact_upto, 8);
    assert!(
        audit::summary(&report).starts_with("Cadena rota en la posición 10: el evento local"),
        "{}",
        audit::summary(&report)
    );
}
both_engines!(
    an_edited_payload_is_caught_at_its_position,
    super::an_edited_payload_is_caught_at_its_position
);

async fn edited_metadata_time_or_digest_and_swapped_payloads_are_caught(engine: Engine) {
    let cases: [(&str, &str, i64); 4] = [
        (
            "UPDATE events SET metadata = REPLACE(metadata, 'user1', 'user2') WHERE position = 14",
            "UPDATE events SET metadata = REPLACE(metadata::text, 'user1', 'user2')::json WHERE position = 14",
            14,
        ),
        (
            "UPDATE events SET recorded_at = '2025-01-01T00:07:00.001Z' WHERE position = 14",
            "UPDATE events SET recorded_at = recorded_at + interval '1 millisecond' WHERE position = 14",
            14,
        ),
        (
            "UPDATE event_digests SET digest = REPLACE(digest, SUBSTR(digest, 1, 1), 'x') WHERE position = 20",
            "UPDATE event_digests SET digest = REPLACE(digest, SUBSTR(digest, 1, 1), 'x') WHERE position = 20",
            20,
        ),
        (
            // Two updates of the same local swap their payloads (c1: positions 2 and 16).
            "UPDATE events SET payload = CASE position WHEN 2 THEN (SELECT payload FROM events WHERE position = 16) \
             ELSE (SELECT payload FROM events WHERE position = 2) END WHERE position IN (2, 16)",
            "UPDATE events SET payload = CASE position WHEN 2 THEN (SELECT payload FROM events WHERE position = 16) \
             ELSE (SELECT payload FROM events WHERE position = 2) END WHERE position IN (2, 16)",
            2,
        ),
    ];
    let postgres = matches!(engine, Engine::Postgres);
    let store = seeded(engine).await;
    let events = event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap();
    for (sqlite, pg, position) in cases {
        let mut tx = store.db().begin().await.unwrap();
        arriendo::on_tx!(&mut tx, conn => {
            sqlx::query(if postgres { pg } else { sqlite }).execute(&mut *conn).await.unwrap();
        });
        tx.commit().await.unwrap();
        let report = audit::verify(store.db()).await.unwrap();
        assert_eq!(
            broken_at(&report),
            (
                position,
                BreakKind::Edited {
                    event: at(&events, position)
                }
            ),
            "{sqlite}"
        );
        // Undo, so the next case starts from an intact chain.
        restore_log(store.db(), &events).await;
    }
}
both_engines!(
    edited_metadata_time_or_digest_and_swapped_payloads_are_caught,
    super::edited_metadata_time_or_digest_and_swapped_payloads_are_caught
);

/// Puts the log and its chain back as `events` (what a restore does).
async fn restore_log(db: &Db, events: &[StoredEvent]) {
    let mut tx = db.begin().await.unwrap();
    arriendo::on_tx!(&mut tx, conn => {
        sqlx::query("DELETE FROM events").execute(&mut *conn).await.unwrap();
    });
    audit::seal::clear_in(&mut tx).await.unwrap();
    for e in events {
        event_log::append_raw(&mut tx, e).await.unwrap();
    }
    audit::seal::seal_all_in(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(audit::verify(db).await.unwrap().is_intact());
}

async fn a_deleted_event_is_caught_at_its_position(engine: Engine) {
    let store = seeded(engine).await;
    let events = event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap();
    exec(store.db(), "DELETE FROM events WHERE position = 22").await;
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report),
        (
            22,
            BreakKind::Missing {
                event: at(&events, 22)
            }
        )
    );
    assert_eq!(report.intact_upto, 20);

    // Deleted and the positions after it moved down to close the hole: still a deletion at 22.
    restore_log(store.db(), &events).await;
    exec(store.db(), "DELETE FROM events WHERE position = 22").await;
    for p in (24..=45).filter(|p| *p > 40 || p % 2 == 0) {
        let to = if p > 40 { p - 1 } else { p - 2 };
        exec(
            store.db(),
            &format!("UPDATE events SET position = {to} WHERE position = {p}"),
        )
        .await;
    }
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report),
        (
            22,
            BreakKind::Missing {
                event: at(&events, 22)
            }
        )
    );
}
both_engines!(
    a_deleted_event_is_caught_at_its_position,
    super::a_deleted_event_is_caught_at_its_position
);

async fn a_reordered_pair_is_caught_at_the_first_of_the_two(engine: Engine) {
    let store = seeded(engine).await;
    let events = event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap();
    for sql in [
        "UPDATE events SET position = -1 WHERE position = 30",
        "UPDATE events SET position = 30 WHERE position = 32",
        "UPDATE events SET position = 32 WHERE position = -1",
    ] {
        exec(store.db(), sql).await;
    }
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report),
        (
            30,
            BreakKind::Reordered {
                event: at(&events, 32),
                sealed_at: 32
            }
        )
    );
    assert_eq!(report.intact_upto, 28);
}
both_engines!(
    a_reordered_pair_is_caught_at_the_first_of_the_two,
    super::a_reordered_pair_is_caught_at_the_first_of_the_two
);

async fn an_inserted_event_is_caught_at_its_position(engine: Engine) {
    let store = seeded(engine).await;
    let events = event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap();
    // Into a gap the sequence left (PostgreSQL leaves them after rollbacks).
    let mut forged = raw_event(13, 1);
    forged.position = 27;
    forged.aggregate_id = "forged".into();
    let mut tx = store.db().begin().await.unwrap();
    event_log::append_raw(&mut tx, &forged).await.unwrap();
    tx.commit().await.unwrap();
    let expected = EventRef {
        aggregate_type: "local".into(),
        aggregate_id: "forged".into(),
        sequence: 1,
    };
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report),
        (
            27,
            BreakKind::Inserted {
                event: expected.clone()
            }
        )
    );
    // The sealer never seals below its head: the insertion stays visible.
    store.app.projector.catch_up().await.unwrap();
    assert_eq!(broken_at(&audit::verify(store.db()).await.unwrap()).0, 27);

    // Inserted with every later position moved up by one: caught at the forged event too.
    restore_log(store.db(), &events).await;
    exec(
        store.db(),
        "UPDATE events SET position = position + 1000 WHERE position >= 26",
    )
    .await;
    exec(
        store.db(),
        "UPDATE events SET position = position - 999 WHERE position >= 1026",
    )
    .await;
    forged.position = 26;
    let mut tx = store.db().begin().await.unwrap();
    event_log::append_raw(&mut tx, &forged).await.unwrap();
    tx.commit().await.unwrap();
    let report = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report),
        (26, BreakKind::Inserted { event: expected })
    );
}
both_engines!(
    an_inserted_event_is_caught_at_its_position,
    super::an_inserted_event_is_caught_at_its_position
);

fn json_opts(dir: &std::path::Path) -> BackupOptions {
    BackupOptions {
        format: Format::Json,
        output_dir: Some(dir.to_path_buf()),
        remote: Some(false),
        ..Default::default()
    }
}

async fn a_backup_seals_the_head_and_a_rewritten_chain_no_longer_matches(engine: Engine) {
    let store = seeded(engine).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&store.app, &settings, json_opts(backups.path()))
        .await
        .unwrap();
    let chain = report
        .manifest
        .chain
        .clone()
        .expect("the manifest seals the chain");
    let verified = audit::verify(store.db()).await.unwrap();
    assert_eq!(chain.position, 45);
    assert_eq!(Some(chain.digest.clone()), verified.intact_digest);
    let seals = audit::seals::all(store.db()).await.unwrap();
    assert_eq!(seals.len(), 1);
    assert_eq!(seals[0].name, report.manifest.name);
    assert_eq!((seals[0].position, seals[0].event_count), (45, 25));
    assert_eq!(seals[0].digest, chain.digest);
    assert_eq!(verified.latest_seal.as_ref(), Some(&seals[0]));
    assert_eq!(verified.seals_checked, 1);
    assert!(audit::summary(&verified).contains(", sellada en el respaldo del "));

    // Someone edits an event and recomputes every digest after it: the walk finds nothing, the
    // backup's seal does.
    exec(
        store.db(),
        match store.db().engine() {
            StoreEngine::Sqlite => {
                "UPDATE events SET payload = REPLACE(payload, 'Piso', 'Pis0') WHERE position = 10"
            }
            StoreEngine::Postgres => {
                "UPDATE events SET payload = REPLACE(payload::text, 'Piso', 'Pis0')::json WHERE position = 10"
            }
        },
    )
    .await;
    exec(store.db(), "DELETE FROM event_digests WHERE position >= 10").await;
    assert_eq!(audit::seal(store.db()).await.unwrap(), 21);
    let report_after = audit::verify(store.db()).await.unwrap();
    assert_eq!(
        broken_at(&report_after),
        (
            45,
            BreakKind::SealMismatch {
                backup: report.manifest.name.clone()
            }
        )
    );

    // Then the last event and its digest deleted too: the seal names a position the chain no
    // longer reaches.
    exec(store.db(), "DELETE FROM events WHERE position = 45").await;
    exec(store.db(), "DELETE FROM event_digests WHERE position = 45").await;
    let (position, kind) = broken_at(&audit::verify(store.db()).await.unwrap());
    assert_eq!(position, 45);
    assert!(matches!(kind, BreakKind::SealMismatch { .. }));
}
both_engines!(
    a_backup_seals_the_head_and_a_rewritten_chain_no_longer_matches,
    super::a_backup_seals_the_head_and_a_rewritten_chain_no_longer_matches
);

/// Changes one byte inside the payload of the event line at `position`: a letter of the location
/// ("Piso" → "Piso" with one letter changed), which keeps the JSON and the event valid.
fn flip_payload_byte(text: &str, position: i64) -> String {
    let marker = format!("\"position\":{position},");
    text.lines()
        .map(|line| {
            if line.contains(&marker) {
                let at = line.find("Piso").unwrap() + 1;
                let mut bytes = line.as_bytes().to_vec();
                bytes[at] ^= 0x01; // 'i' ↔ 'h'
                String::from_utf8(bytes).unwrap()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

async fn a_json_backup_without_its_manifest_catches_a_flipped_payload_byte(engine: Engine) {
    let store = seeded(engine).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&store.app, &settings, json_opts(backups.path()))
        .await
        .unwrap();
    let original = std::fs::read_to_string(report.path_of(FileKind::Json).unwrap()).unwrap();
    assert!(original.contains("\"digest\":"));
    assert!(original.starts_with("{\"format\":\"arriendo-event-log\",\"format_version\":2"));
    let alone = tempfile::tempdir().unwrap();
    let file = alone.path().join("copia.json");

    // Intact, no manifest beside it: verifies, and the chain's head is the one the store sealed.
    std::fs::write(&file, &original).unwrap();
    let ok = verify::verify(&settings, file.to_str().unwrap(), None, None)
        .await
        .unwrap();
    assert!(!ok.checked_against_manifest);
    assert_eq!(ok.chain_digest, report.manifest.chain.map(|c| c.digest));

    // One flipped byte in the payload of every event in turn: the reader names the position.
    let positions: Vec<i64> = event_log::read_after(store.db(), 0, i64::MAX)
        .await
        .unwrap()
        .iter()
        .map(|e| e.position)
        .collect();
    for position in &positions {
        std::fs::write(&file, flip_payload_byte(&original, *position)).unwrap();
        let err = restore::check_json(&file, None, settings.restore_limits)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!(
                "event at position {position}: its digest does not match"
            )),
            "{text}"
        );
    }
    // And through `backup verify` itself.
    std::fs::write(&file, flip_payload_byte(&original, 20)).unwrap();
    let err = verify::verify(&settings, file.to_str().unwrap(), None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, BackupError::Corrupt(_)), "{err}");
    assert!(err.to_string().contains("event at position 20"), "{err}");

    // A changed head digest on the closing line is caught as well.
    let head = ok.chain_digest.clone().unwrap();
    let mut other = head.clone().into_bytes();
    other[0] = if other[0] == b'0' { b'1' } else { b'0' };
    let tampered = original.replace(
        &format!("\"digest\":\"{head}\"}}}}"),
        &format!("\"digest\":\"{}\"}}}}", String::from_utf8(other).unwrap()),
    );
    assert_ne!(tampered, original);
    std::fs::write(&file, tampered).unwrap();
    let err = restore::check_json(&file, None, settings.restore_limits)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("head digest"), "{err}");

    // A format-1 file (no digests) is still read.
    let v1: String = original
        .replace("\"format_version\":2", "\"format_version\":1")
        .lines()
        .map(|line| match line.find(",\"digest\":\"") {
            Some(at) => format!("{}{}", &line[..at], &line[at + 11 + 64 + 1..]),
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!v1.contains("digest"));
    std::fs::write(&file, v1).unwrap();
    let checked = restore::check_json(&file, None, settings.restore_limits)
        .await
        .unwrap();
    assert_eq!(checked.events, 25);
    assert_eq!(checked.digest, ok.chain_digest);
}
both_engines!(
    a_json_backup_without_its_manifest_catches_a_flipped_payload_byte,
    super::a_json_backup_without_its_manifest_catches_a_flipped_payload_byte
);

async fn restores_keep_a_valid_chain_on_both_engines(engine: Engine) {
    let store = seeded(engine).await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    let report = run_backup_with(&store.app, &settings, json_opts(backups.path()))
        .await
        .unwrap();
    let sealed = report.manifest.chain.clone().unwrap();
    for target_engine in [Engine::Sqlite, Engine::Postgres] {
        let target = TestStore::new(target_engine).await;
        restore::restore(
            &target.app,
            &settings,
            &RestoreOptions {
                source: report.manifest.name.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let verified = audit::verify(target.db()).await.unwrap();
        assert!(verified.is_intact(), "{verified:?}");
        assert_eq!(verified.intact_upto, 45);
        assert_eq!(verified.intact_digest.as_ref(), Some(&sealed.digest));
        // The set's seal comes along.
        assert_eq!(
            verified.latest_seal.map(|s| s.name),
            Some(report.manifest.name.clone())
        );
        // New events chain on after the restored head.
        write(target.db(), "k0", 9).await;
        target.app.projector.catch_up().await.unwrap();
        let verified = audit::verify(target.db()).await.unwrap();
        assert!(verified.is_intact());
        assert_eq!(verified.intact_events, 26);
    }
}
both_engines!(
    restores_keep_a_valid_chain_on_both_engines,
    super::restores_keep_a_valid_chain_on_both_engines
);

async fn the_integrity_page_shows_the_chain_to_auditors_and_administradores(engine: Engine) {
    use arriendo_events::actor::Role;
    let web = auth_support::Web::start(engine).await;
    seed_raw(&web.app.db, 10).await;
    web.app.projector.catch_up().await.unwrap();
    let backups = tempfile::tempdir().unwrap();
    let report = run_backup_with(
        &web.app,
        &settings(backups.path()),
        json_opts(backups.path()),
    )
    .await
    .unwrap();
    web.add_user("aud-auditor", Role::Auditor).await;
    web.add_user("gus-gestor", Role::Gestor).await;
    let auditor = web.logged_in("aud-auditor").await;
    let response = auditor.get("/auditoria/integridad").await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Cadena íntegra hasta la posición"), "{html}");
    assert!(html.contains("sellada en el respaldo del"), "{html}");
    assert!(html.contains(&report.manifest.name));
    assert!(html.contains(&report.manifest.chain.unwrap().digest));
    assert!(html.contains("Coincide"));
    let gestor = web.logged_in("gus-gestor").await;
    assert_eq!(
        gestor.get("/auditoria/integridad").await.status(),
        reqwest::StatusCode::FORBIDDEN
    );
    // The log's page links to it for those who may open it.
    let link = "href=\"/auditoria/integridad\"";
    let log = auditor.get("/auditoria").await.text().await.unwrap();
    assert!(log.contains(link), "{log}");
    let log = gestor.get("/auditoria").await.text().await.unwrap();
    assert!(!log.contains(link));

    exec(&web.app.db, "DELETE FROM events WHERE position = 8").await;
    let html = auditor
        .get("/auditoria/integridad")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Cadena rota en la posición 8: falta el evento local"),
        "{html}"
    );
}
both_engines!(
    the_integrity_page_shows_the_chain_to_auditors_and_administradores,
    super::the_integrity_page_shows_the_chain_to_auditors_and_administradores
);

// The sealing and verifying figures for the docs are a bench: `cargo bench --bench audit_chain`.

fn cli(data_dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_arriendo"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

/// The command line on a SQLite store: exit 0 and the sentence when intact; exit 4 and the break
/// when not; a manifest kept elsewhere still catches a rewrite after the seal table was emptied.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn audit_verify_on_the_command_line() {
    let store = seeded(Engine::Sqlite).await;
    let backups = tempfile::tempdir().unwrap();
    let report = run_backup_with(
        &store.app,
        &settings(backups.path()),
        json_opts(backups.path()),
    )
    .await
    .unwrap();
    let manifest = backups
        .path()
        .join(format!("{}.manifest.json", report.manifest.name));
    let dir = store.data_dir();
    let (code, out) = cli(&dir, &["audit", "verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(
            "Cadena íntegra hasta la posición 45 (25 eventos), sellada en el respaldo del "
        ),
        "{out}"
    );
    let (code, out) = cli(&dir, &["audit", "verify", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["intact_upto"], 45);
    assert_eq!(json["break"], serde_json::Value::Null);

    // Edited, every digest after it recomputed, the seal table emptied: only the manifest kept
    // elsewhere still tells.
    exec(
        store.db(),
        "UPDATE events SET payload = REPLACE(payload, 'Piso', 'Pis0') WHERE position = 10",
    )
    .await;
    exec(store.db(), "DELETE FROM event_digests WHERE position >= 10").await;
    exec(store.db(), "DELETE FROM backup_seals").await;
    audit::seal(store.db()).await.unwrap();
    let (code, _) = cli(&dir, &["audit", "verify"]);
    assert_eq!(code, 0, "the rewrite is invisible without a seal");
    let (code, out) = cli(
        &dir,
        &["audit", "verify", "--manifest", manifest.to_str().unwrap()],
    );
    assert_eq!(code, 4, "{out}");
    assert!(
        out.starts_with(&format!(
            "Cadena rota en la posición 45: la cadena no coincide con el sello del respaldo {}",
            report.manifest.name
        )),
        "{out}"
    );

    // A plain edit: exit 4, the position and the kind.
    exec(
        store.db(),
        "UPDATE events SET metadata = REPLACE(metadata, 'user', 'usr') WHERE position = 4",
    )
    .await;
    let (code, out) = cli(&dir, &["audit", "verify", "--format", "json"]);
    assert_eq!(code, 4);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["break"]["position"], 4);
    assert_eq!(json["break"]["kind"], "edited");
}

/// Six writers and two sealers at once (two processes' worth): every event ends up sealed exactly
/// once and the chain is intact. On PostgreSQL positions can commit out of order only if the
/// event-store lock fails; a sealer that skipped a late commit would leave it "inserted".
async fn the_chain_skips_nothing_under_concurrent_writers(engine: Engine) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let store = TestStore::new(engine).await;
    let done = Arc::new(AtomicBool::new(false));
    let mut sealers = Vec::new();
    for _ in 0..2 {
        let (db, done) = (store.db().clone(), done.clone());
        sealers.push(tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                audit::seal(&db).await.unwrap();
                tokio::task::yield_now().await;
            }
        }));
    }
    let mut writers = Vec::new();
    for w in 0..6 {
        let db = store.db().clone();
        writers.push(tokio::spawn(async move {
            for i in 0..15 {
                write(&db, &format!("w{w}"), i).await;
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::Relaxed);
    for s in sealers {
        s.await.unwrap();
    }
    audit::seal(store.db()).await.unwrap();
    let report = audit::verify(store.db()).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.intact_events, report.pending), (90, 0));
}
both_engines!(
    the_chain_skips_nothing_under_concurrent_writers,
    super::the_chain_skips_nothing_under_concurrent_writers
);
