//! Encrypted backups (age) and scheduled runs: one server claims each scheduled slot, the restore
//! drill verifies the newest backup, and runs are recorded for the web page.
#![allow(clippy::unwrap_used)]

mod backup_support;
mod common;

use age::secrecy::ExposeSecret;
use arriendo::backup::manifest::FileKind;
use arriendo::backup::restore::{self, RestoreOptions};
use arriendo::backup::runs::{self, RunKind, RunStatus};
use arriendo::backup::{BackupOptions, run_backup_with, schedule, verify};
use backup_support::*;
use common::{Engine, TestStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn encrypted_backup_restores_only_with_the_identity() {
    let source = TestStore::new(Engine::Sqlite).await;
    seed_raw(source.db(), 90).await;
    let backups = tempfile::tempdir().unwrap();
    let identity = age::x25519::Identity::generate();
    let identity_file = backups.path().join("key.txt");
    std::fs::write(
        &identity_file,
        format!("{}\n", identity.to_string().expose_secret()),
    )
    .unwrap();
    let mut settings = settings(backups.path());
    settings.encryption_recipients = vec![identity.to_public().to_string()];
    let report = run_backup_with(
        &source.app,
        &settings,
        BackupOptions {
            compress: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let json = report.manifest.file(FileKind::Json).unwrap();
    assert!(json.name.ends_with(".json.gz.age") && json.encrypted);
    assert!(
        report
            .manifest
            .file(FileKind::Db)
            .unwrap()
            .name
            .ends_with(".sqlite3.age")
    );
    let bytes = std::fs::read(report.dir.join(&json.name)).unwrap();
    assert!(
        bytes.starts_with(b"age-encryption.org/v1"),
        "encrypted on disk"
    );

    let target = TestStore::new(Engine::Postgres).await;
    let options = RestoreOptions {
        source: report.manifest.name.clone(),
        ..Default::default()
    };
    let err = restore::restore(&target.app, &settings, &options)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("BACKUP_ENCRYPTION_IDENTITY_FILE"),
        "{err}"
    );
    settings.encryption_identity_file = Some(identity_file);
    restore::restore(&target.app, &settings, &options)
        .await
        .unwrap();
    assert_eq!(all_events(target.db()).await, all_events(source.db()).await);
    assert_eq!(
        verify::verify(&settings, &report.manifest.name, None, None)
            .await
            .unwrap()
            .events,
        90
    );
}

async fn one_server_per_scheduled_slot(engine: Engine) {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 30).await;
    let second_server = store.reopen().await;
    let backups = tempfile::tempdir().unwrap();
    let settings = settings(backups.path());
    // The way cron fires on two servers whose clocks differ a little: one just before the minute.
    let fired: chrono::DateTime<chrono::Utc> = "2026-12-02T07:00:00.050Z".parse().unwrap();
    let (a, b) = tokio::join!(
        schedule::run_scheduled(&store.app, &settings, RunKind::Backup, fired),
        schedule::run_scheduled(
            &second_server,
            &settings,
            RunKind::Backup,
            fired - chrono::Duration::milliseconds(400)
        ),
    );
    let ran = [a.unwrap(), b.unwrap()];
    assert_eq!(
        ran.iter().filter(|r| **r).count(),
        1,
        "exactly one server ran it: {ran:?}"
    );
    assert_eq!(
        arriendo::backup::manifest::list_local(backups.path())
            .unwrap()
            .len(),
        1
    );
    // Even after the first one finished, the slot stays taken.
    assert!(
        !schedule::run_scheduled(&second_server, &settings, RunKind::Backup, fired)
            .await
            .unwrap()
    );

    // The weekly drill verifies the newest backup and records it.
    let drill = drill_now(&store.app, &settings, fired).await;
    assert_eq!(drill.status, RunStatus::Success, "{:?}", drill.error);
    assert_eq!(drill.event_count, Some(30));
    let latest = runs::latest(store.db()).await.unwrap().unwrap();
    assert_eq!(
        (latest.kind, latest.status),
        (RunKind::Backup, RunStatus::Success)
    );
    assert_eq!(latest.event_count, Some(30));
    assert!(latest.files.len() == 2 && latest.total_bytes.unwrap() > 0);
}
both_engines!(
    one_server_per_scheduled_slot,
    super::one_server_per_scheduled_slot
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scheduler_starts_with_the_default_schedule() {
    let store = TestStore::new(Engine::Sqlite).await;
    let backups = tempfile::tempdir().unwrap();
    let mut scheduler = schedule::spawn(store.app.clone(), settings(backups.path()))
        .await
        .unwrap();
    scheduler.shutdown().await.unwrap();
    let mut bad = settings(backups.path());
    bad.schedule = "every day at two".into();
    let Err(err) = schedule::spawn(store.app.clone(), bad).await else {
        panic!("a bad schedule must be refused")
    };
    assert!(err.is_usage(), "{err}");
}

/// `ssh-keygen` writes a key pair of `kind` in `dir`; returns (private key file, public key line).
fn ssh_key(dir: &std::path::Path, kind: &str) -> (std::path::PathBuf, String) {
    let private = dir.join(format!("id_{kind}"));
    let mut command = std::process::Command::new("ssh-keygen");
    command.args(["-q", "-t", kind, "-N", "", "-C", "ops@arriendo", "-f"]);
    command.arg(&private);
    if kind == "rsa" {
        command.args(["-b", "2048"]);
    }
    assert!(command.status().unwrap().success(), "ssh-keygen {kind}");
    let public = std::fs::read_to_string(private.with_extension("pub")).unwrap();
    (private, public.trim().to_string())
}

/// Several recipients (issue 14, fault 3): a set encrypted to two age keys and two SSH keys
/// (ssh-ed25519, ssh-rsa) verifies and restores with each identity alone, and not with another.
/// The list comes from the single variable, the list variable and a file together.
async fn encrypted_to_several_recipients(engine: Engine) {
    let store = TestStore::new(engine).await;
    seed_raw(store.db(), 60).await;
    let keys = tempfile::tempdir().unwrap();
    let age_identity = |name: &str| {
        let identity = age::x25519::Identity::generate();
        let file = keys.path().join(name);
        std::fs::write(&file, format!("{}\n", identity.to_string().expose_secret())).unwrap();
        (file, identity.to_public().to_string())
    };
    let (first_file, first) = age_identity("primera.key");
    let (second_file, second) = age_identity("segunda.key");
    let (stranger_file, _) = age_identity("ajena.key");
    let (ed25519_file, ed25519) = ssh_key(keys.path(), "ed25519");
    let (rsa_file, rsa) = ssh_key(keys.path(), "rsa");
    let list = keys.path().join("recipients.txt");
    std::fs::write(&list, format!("# llaves de operaciones\n{rsa}\n\n")).unwrap();
    let vars: std::collections::HashMap<String, String> = [
        ("BACKUP_ENCRYPTION_RECIPIENT", first.clone()),
        (
            "BACKUP_ENCRYPTION_RECIPIENTS",
            format!("{second}, {ed25519}\n{first}"),
        ),
        (
            "BACKUP_ENCRYPTION_RECIPIENTS_FILE",
            list.display().to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let backups = tempfile::tempdir().unwrap();
    let mut settings = arriendo::backup::BackupSettings::from_vars(backups.path(), &vars).unwrap();
    assert_eq!(
        settings.encryption_recipients,
        vec![first.clone(), second.clone(), ed25519.clone(), rsa.clone()],
        "each key once, in order"
    );
    settings.output_dir = backups.path().to_path_buf();
    let report = run_backup_with(&store.app, &settings, BackupOptions::default())
        .await
        .unwrap();
    let db_file = report.manifest.file(FileKind::Db).unwrap().name.clone();
    assert!(db_file.ends_with(".age"), "{db_file}");

    for identity in [&first_file, &second_file, &ed25519_file, &rsa_file] {
        settings.encryption_identity_file = Some(identity.clone());
        let checked = verify::verify(&settings, &report.manifest.name, None, None)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", identity.display()));
        assert_eq!(checked.events, 60);
        assert_eq!(checked.other_files, vec![db_file.clone()]);
        // The database file decrypts with it too.
        let mut plain = Vec::new();
        std::io::Read::read_to_end(
            &mut arriendo::backup::pipeline::open_content(
                &backups.path().join(&db_file),
                Some(identity),
            )
            .unwrap(),
            &mut plain,
        )
        .unwrap();
        let magic: &[u8] = match engine_of(&store) {
            Engine::Sqlite => b"SQLite format 3\0",
            Engine::Postgres => b"PGDMP",
        };
        assert!(plain.starts_with(magic), "{}", identity.display());
    }
    // Restored with an SSH key alone, on the other engine.
    settings.encryption_identity_file = Some(ed25519_file.clone());
    let target = TestStore::new(match engine_of(&store) {
        Engine::Sqlite => Engine::Postgres,
        Engine::Postgres => Engine::Sqlite,
    })
    .await;
    let options = RestoreOptions {
        source: report.manifest.name.clone(),
        ..Default::default()
    };
    restore::restore(&target.app, &settings, &options)
        .await
        .unwrap();
    assert_eq!(all_events(target.db()).await, all_events(store.db()).await);

    settings.encryption_identity_file = Some(stranger_file);
    let err = verify::verify(&settings, &report.manifest.name, None, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot decrypt"), "{err}");

    // A key that is neither is refused when the settings are read, naming it.
    let mut bad = vars.clone();
    bad.insert(
        "BACKUP_ENCRYPTION_RECIPIENTS".into(),
        "ssh-dss AAAAB3NzaC1kc3M".into(),
    );
    let err = arriendo::backup::BackupSettings::from_vars(backups.path(), &bad).unwrap_err();
    assert!(err.to_string().contains("ssh-dss"), "{err}");
}
both_engines!(
    encrypted_to_several_recipients,
    super::encrypted_to_several_recipients
);

fn engine_of(store: &TestStore) -> Engine {
    match store.db() {
        arriendo::store::Db::Sqlite(_) => Engine::Sqlite,
        arriendo::store::Db::Postgres(_) => Engine::Postgres,
    }
}
