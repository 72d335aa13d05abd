//! The restore drill with two servers on one database (issue 14, fault 2): the sets are written by
//! one server, the drill runs on the other, whose own folder holds no backup, and restores from the
//! remote destination (moto S3). A drill against a corrupted remote set fails, is recorded with its
//! error, is mailed (aiosmtpd) and shows on the dashboard and on the Respaldos page.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod backup_support;
mod common;
mod web_fixtures;

use arriendo::backup::runs::{self, RunKind, RunStatus};
use arriendo::backup::settings::{EmailConfig, SmtpTls};
use arriendo::backup::targets::Target;
use arriendo::backup::{BackupOptions, run_backup_with, schedule};
use arriendo_events::Role;
use auth_support::Web;
use backup_support::*;
use common::Engine;
use web_fixtures::page;

fn mails_to(dir: &str, recipient: &str) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| m.contains(recipient))
        .map(|m| common::unqp(&m))
        .collect()
}

async fn the_drill_restores_from_the_remote_on_a_server_without_sets(engine: Engine) {
    let (Some(target), Some(port), Some(mail_dir)) = (
        s3_target().await,
        env("BACKUP_TEST_SMTP_PORT"),
        env("BACKUP_TEST_SMTP_DIR"),
    ) else {
        return skip("moto_server and aiosmtpd");
    };
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    seed_raw(&web.app.db, 40).await;
    // The second server: same database, its own (empty) backup folder.
    let second = web.store.reopen().await;
    let folder_a = tempfile::tempdir().unwrap();
    let folder_b = tempfile::tempdir().unwrap();
    let recipient = format!("ops-{}@example.test", uuid::Uuid::new_v4().simple());
    let mut writer = settings(folder_a.path());
    writer.targets = vec![target.clone()];
    writer.remote_enabled = true;
    let mut driller = settings(folder_b.path());
    driller.targets = vec![target.clone()];
    driller.email = Some(EmailConfig {
        recipients: vec![recipient.clone()],
        from: "arriendo@example.test".into(),
        host: "127.0.0.1".into(),
        port: port.parse().unwrap(),
        user: None,
        password: None,
        tls: SmtpTls::None,
    });

    let first = run_backup_with(&web.app, &writer, BackupOptions::default())
        .await
        .unwrap();
    assert!(first.targets[0].ok, "{:?}", first.targets);
    assert!(
        arriendo::backup::manifest::list_local(folder_b.path())
            .unwrap()
            .is_empty(),
        "the drilling server has no set of its own"
    );

    let fired = chrono::Utc::now();
    assert!(
        schedule::run_scheduled(&second, &driller, RunKind::Drill, fired)
            .await
            .unwrap()
    );
    let drill = runs::latest_of(&web.app.db, RunKind::Drill)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(drill.status, RunStatus::Success, "{:?}", drill.error);
    assert_eq!(drill.name.as_deref(), Some(first.manifest.name.as_str()));
    assert_eq!(drill.event_count, Some(first.manifest.event_count));
    assert!(first.manifest.event_count >= 40);
    assert_eq!(drill.targets.len(), 1);
    assert!(drill.targets[0].ok && drill.targets[0].target == "s3");
    let ana = web.logged_in("ana").await;
    let dashboard = page(ana.get("/").await, 200).await;
    assert!(
        dashboard.contains("Los respaldos están al día."),
        "{dashboard}"
    );

    // A newer set whose JSON on the destination has one byte flipped.
    let second_set = run_backup_with(&web.app, &writer, BackupOptions::default())
        .await
        .unwrap();
    let json = second_set
        .manifest
        .file(arriendo::backup::manifest::FileKind::Json)
        .unwrap()
        .name
        .clone();
    let mut bytes = std::fs::read(second_set.dir.join(&json)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let corrupted = tempfile::tempdir().unwrap();
    std::fs::write(corrupted.path().join(&json), &bytes).unwrap();
    let remote = Target::open(&target, writer.remote_timeouts).await.unwrap();
    remote
        .upload(&corrupted.path().join(&json), &json)
        .await
        .unwrap();

    assert!(
        schedule::run_scheduled(
            &second,
            &driller,
            RunKind::Drill,
            fired + chrono::Duration::minutes(1)
        )
        .await
        .unwrap()
    );
    let drill = runs::latest_of(&web.app.db, RunKind::Drill)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(drill.status, RunStatus::Failed);
    let error = drill.error.clone().unwrap();
    assert!(
        error.starts_with("restore drill failed: s3")
            && error.contains(&second_set.manifest.name)
            && error.contains("SHA-256"),
        "{error}"
    );
    assert!(!drill.targets[0].ok);

    // Mailed: the success first, then the failure.
    let mails = mails_to(&mail_dir, &recipient);
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(
        mails[0].contains("El simulacro de restauración terminó correctamente."),
        "{}",
        mails[0]
    );
    assert!(
        mails[1].contains("El simulacro de restauración FALLÓ.")
            && mails[1].contains("s3 (")
            && mails[1].contains("SHA-256"),
        "{}",
        mails[1]
    );

    // The dashboard no longer says "al día"; the Respaldos page shows the failed drill.
    let dashboard = page(ana.get("/").await, 200).await;
    assert!(
        !dashboard.contains("Los respaldos están al día."),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("El último simulacro de restauración falló"),
        "{dashboard}"
    );
    let respaldos = page(ana.get("/respaldos").await, 200).await;
    assert!(
        respaldos.contains("Simulacro de restauración") && respaldos.contains("Fallido"),
        "{respaldos}"
    );
    second.db.close().await;
}
both_engines!(
    the_drill_restores_from_the_remote_on_a_server_without_sets,
    super::the_drill_restores_from_the_remote_on_a_server_without_sets,
    ignore = "needs moto_server and aiosmtpd: scripts/test starts them"
);

/// Without a destination and without a set in this server's folder the drill fails with a reason
/// that says what to do, and is recorded failed.
async fn a_drill_with_nothing_to_restore_fails_clearly(engine: Engine) {
    let web = Web::start(engine).await;
    seed_raw(&web.app.db, 5).await;
    // A backup in another server's folder succeeded; this server's folder is empty.
    let elsewhere = tempfile::tempdir().unwrap();
    run_backup_with(
        &web.app,
        &settings(elsewhere.path()),
        BackupOptions::default(),
    )
    .await
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    assert!(
        schedule::run_scheduled(
            &web.app,
            &settings(empty.path()),
            RunKind::Drill,
            chrono::Utc::now()
        )
        .await
        .unwrap()
    );
    let drill = runs::latest_of(&web.app.db, RunKind::Drill)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(drill.status, RunStatus::Failed);
    let error = drill.error.unwrap();
    assert!(
        error.contains("no backup set in") && error.contains("BACKUP_REMOTE_DESTINATION"),
        "{error}"
    );
    let state = arriendo::queries::backup_state(&web.app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!state.last_failed, "the backup itself succeeded");
    assert_eq!(state.drill_failed_at, Some(drill.started_at));
    let alert =
        arriendo_projections::alerts::backup_alert(Some(&state), chrono::Utc::now()).unwrap();
    assert!(
        alert
            .message
            .starts_with("El último simulacro de restauración falló"),
        "{}",
        alert.message
    );
}
both_engines!(
    a_drill_with_nothing_to_restore_fails_clearly,
    super::a_drill_with_nothing_to_restore_fails_clearly
);

/// Without a destination only the server that wrote the newest set holds it, and the drill runs
/// there: a server whose folder lacks the set leaves the scheduled drill to the writer; when the
/// writer does not take it (it is down), that server takes it after waiting and fails naming the
/// server that holds the set, instead of drilling an older copy of its own.
async fn without_a_destination_the_writer_drills(engine: Engine) {
    let store = common::TestStore::new(engine).await;
    seed_raw(store.db(), 5).await;
    let folder_a = tempfile::tempdir().unwrap();
    let folder_b = tempfile::tempdir().unwrap();
    let writer = settings(folder_a.path());
    run_backup_with(&store.app, &writer, BackupOptions::default())
        .await
        .unwrap();
    // The set came from another machine, servidor-a; this test plays both servers.
    let sql = "UPDATE backup_runs SET host = 'servidor-a' WHERE kind = 'backup'";
    match store.db() {
        arriendo::store::Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        arriendo::store::Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap();
    let second = store.reopen().await;
    let mut elsewhere = settings(folder_b.path());
    elsewhere.drill_defer = std::time::Duration::from_millis(500);

    let fired = chrono::Utc::now();
    let (on_b, on_a) = tokio::join!(
        schedule::run_scheduled(&second, &elsewhere, RunKind::Drill, fired),
        schedule::run_scheduled(&store.app, &writer, RunKind::Drill, fired),
    );
    assert!(on_a.unwrap(), "the server holding the set drills");
    assert!(!on_b.unwrap(), "the other one leaves it");
    let drill = runs::latest_of(store.db(), RunKind::Drill)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(drill.status, RunStatus::Success, "{:?}", drill.error);

    // servidor-a is down at the next drill: the other server takes it and says why it cannot.
    let later = fired + chrono::Duration::minutes(1);
    let drill = drill_now(&second, &elsewhere, later).await;
    assert_eq!(drill.status, RunStatus::Failed);
    let error = drill.error.unwrap();
    assert!(
        error.contains("servidor-a") && error.contains("BACKUP_REMOTE_DESTINATION"),
        "{error}"
    );
}
both_engines!(
    without_a_destination_the_writer_drills,
    super::without_a_destination_the_writer_drills
);
