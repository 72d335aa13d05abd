//! Respaldos over HTTP: an administrador starts a backup from the page and sees it listed with
//! its files; downloads one file (only names a manifest lists); verifies the set; a gestor gets 403;
//! a run left "running" by a dead process does not block the button.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;
mod web_fixtures;

use arriendo_events::Role;
use auth_support::{Web, location};
use common::Engine;
use web_fixtures::*;

async fn an_administrador_backs_up_from_the_page_and_a_gestor_cannot(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    web.add_user("gus", Role::Gestor).await;
    tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    web.app.projector.catch_up().await.unwrap();

    let gus = web.logged_in("gus").await;
    assert_eq!(gus.get("/respaldos").await.status(), 403);
    assert_eq!(
        gus.post("/respaldos", &[("accion", "respaldar")])
            .await
            .status(),
        403
    );

    let ana = web.logged_in("ana").await;
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("Respaldar ahora"));
    assert!(html.contains("Todavía no se ha hecho ningún respaldo."));

    // Without the button's field nothing starts.
    let response = ana.post("/respaldos", &[]).await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("Use el botón «Respaldar ahora»"));
    assert!(html.contains("Todavía no se ha hecho ningún respaldo."));

    let response = ana.post("/respaldos", &[("accion", "respaldar")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/respaldos");
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("Respaldo iniciado."));
    assert!(html.contains("Desde la web"), "{html}");

    // It runs in the background: wait for its result.
    let mut html = String::new();
    for _ in 0..120 {
        html = page(ana.get("/respaldos").await, 200).await;
        if !html.contains("En curso") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(html.contains("Exitoso"), "{html}");
    let marker = "href=\"/respaldos/archivos/";
    let start = html.find(marker).expect("a file to download") + marker.len();
    let file = &html[start..start + html[start..].find('"').unwrap()];
    assert!(file.starts_with("backup_"), "{file}");

    // Download it; names outside the manifests are not served.
    let response = ana.get(&format!("/respaldos/archivos/{file}")).await;
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .contains(file)
    );
    assert!(!response.bytes().await.unwrap().is_empty());
    for name in ["arriendo.db", "..%2Farriendo.db", "nada.json"] {
        assert_eq!(
            ana.get(&format!("/respaldos/archivos/{name}"))
                .await
                .status(),
            404,
            "{name}"
        );
    }
    assert_eq!(
        gus.get(&format!("/respaldos/archivos/{file}"))
            .await
            .status(),
        403
    );

    // Verify the set.
    let set = file.split('.').next().unwrap();
    let response = ana.post(&format!("/respaldos/{set}/verificar"), &[]).await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(
        html.contains(&format!("El respaldo {set} está íntegro")),
        "{html}"
    );
    let response = ana.post("/respaldos/backup_nada/verificar", &[]).await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("No hay un conjunto de respaldo llamado «backup_nada»."));

    // An incremental set after it: the table says which kind each set is and what it continues,
    // and verifying it checks its chain.
    let settings = web.app.backup_settings().unwrap();
    let incremental = arriendo::backup::run_backup_with(
        &web.app,
        &settings,
        arriendo::backup::BackupOptions {
            mode: arriendo::backup::incremental::Mode::Incremental,
            remote: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let name = incremental.manifest.name;
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("Completo"), "{html}");
    assert!(html.contains("Un respaldo completo cada 7 días"), "{html}");
    assert!(
        html.contains("Incremental") && html.contains(&format!("Continúa {set}")),
        "{html}"
    );
    let response = ana.post(&format!("/respaldos/{name}/verificar"), &[]).await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(
        html.contains(&format!("El respaldo {name} está íntegro")),
        "{html}"
    );
}
both_engines!(
    an_administrador_backs_up_from_the_page_and_a_gestor_cannot,
    super::an_administrador_backs_up_from_the_page_and_a_gestor_cannot
);

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Browsers ask for gzip: every file of a set arrives whole and unchanged (its SHA-256 is the
/// file's), not compressed. And a manifest planted in the folder serves nothing the backups did not
/// write: not a path outside the folder, not a symlink, not a hard link to another file.
async fn downloads_arrive_whole_and_planted_manifests_serve_nothing(engine: Engine) {
    use arriendo::backup::manifest::{self, FileKind, ManifestFile};
    use arriendo::backup::{BackupOptions, BackupSettings, naming};

    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    tenant(&web.app, "900123456-8", "Café Andino S.A.S.").await;
    web.app.projector.catch_up().await.unwrap();
    arriendo::backup::run_backup(&web.app, BackupOptions::default())
        .await
        .unwrap();
    let settings = BackupSettings::from_env(&web.app.data_dir).unwrap();
    let dir = settings.output_dir.clone();
    let sets = manifest::list_local(&dir).unwrap();
    assert_eq!(sets.len(), 1);
    let real = sets[0].clone();
    let ana = web.logged_in("ana").await;

    assert!(
        real.files.iter().any(|f| f.size > 4096),
        "a file big enough for gzip to want it"
    );
    for file in &real.files {
        let response = ana
            .client
            .get(ana.url(&format!("/respaldos/archivos/{}", file.name)))
            .header("accept-encoding", "gzip, deflate, br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", file.name);
        assert!(
            response.headers().get("content-encoding").is_none(),
            "{} was compressed",
            file.name
        );
        let body = response.bytes().await.unwrap();
        let on_disk = std::fs::read(dir.join(&file.name)).unwrap();
        assert_eq!(body.len(), on_disk.len(), "{}", file.name);
        assert_eq!(sha256_hex(&body), sha256_hex(&on_disk), "{}", file.name);
        assert_eq!(sha256_hex(&body), file.sha256, "{}", file.name);
    }

    // A planted set whose manifest lists files outside the folder, a symlink and a hard link.
    let secret = web.app.data_dir.join("secreto.txt");
    std::fs::write(&secret, "contraseñas y llaves").unwrap();
    let planted = "backup_20200101_000000";
    let symlink = naming::json_name(planted, false, false);
    let hard_link = naming::db_name(planted, "sqlite3", false);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, dir.join(&symlink)).unwrap();
    std::fs::hard_link(&secret, dir.join(&hard_link)).unwrap();
    let size = |path: &std::path::Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let entry = |name: &str, kind: FileKind, size: u64| ManifestFile {
        name: name.to_string(),
        kind,
        size,
        sha256: String::new(),
        compressed: false,
        encrypted: false,
        event_count: None,
        last_position: None,
    };
    let mut fake = real.clone();
    fake.name = planted.to_string();
    fake.files = vec![
        entry("/etc/passwd", FileKind::Json, size("/etc/passwd".as_ref())),
        entry("../secreto.txt", FileKind::Db, size(&secret)),
        entry(&symlink, FileKind::Json, size(&secret)),
        entry(&hard_link, FileKind::Db, size(&secret)),
    ];
    std::fs::write(
        dir.join(naming::manifest_name(planted)),
        fake.to_bytes().unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest::list_local(&dir).unwrap().len(),
        2,
        "the plant is read"
    );
    for name in [
        "%2Fetc%2Fpasswd",
        "..%2Fsecreto.txt",
        symlink.as_str(),
        hard_link.as_str(),
    ] {
        let response = ana.get(&format!("/respaldos/archivos/{name}")).await;
        assert_eq!(response.status(), 404, "{name}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("contraseñas y llaves"), "{name}");
        assert!(!body.contains("root:"), "{name}");
    }
    // The real set is still served.
    let first = &real.files[0].name;
    assert_eq!(
        ana.get(&format!("/respaldos/archivos/{first}"))
            .await
            .status(),
        200
    );
}
both_engines!(
    downloads_arrive_whole_and_planted_manifests_serve_nothing,
    super::downloads_arrive_whole_and_planted_manifests_serve_nothing
);

/// A run left "running" by a process that died (no lock held, as after `kill -9`) neither shows as
/// running nor blocks «Respaldar ahora»: the page marks it interrupted and the button starts a backup.
async fn a_dead_run_does_not_block_the_button(engine: Engine) {
    let web = Web::start(engine).await;
    web.add_user("ana", Role::Administrador).await;
    let started = (chrono::Utc::now() - chrono::Duration::minutes(5))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    arriendo::on_pool!(&web.app.db, pool => {
        sqlx::query(
            "INSERT INTO backup_runs (id, kind, run_trigger, started_at, status) \
             VALUES ('muerto', 'backup', 'web', $1, 'running')",
        )
        .bind(&started)
        .execute(pool)
        .await
        .unwrap();
    });
    let ana = web.logged_in("ana").await;
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("Interrumpido"), "{html}");
    assert!(!html.contains("Hay un respaldo en curso"), "{html}");
    let response = ana.post("/respaldos", &[("accion", "respaldar")]).await;
    assert_eq!(response.status(), 303);
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(html.contains("Respaldo iniciado."), "{html}");
    assert!(!html.contains("Ya hay un respaldo en curso"), "{html}");
    // Let the backup the button started finish before the store goes away.
    for _ in 0..120 {
        let html = page(ana.get("/respaldos").await, 200).await;
        if !html.contains("En curso") {
            assert!(html.contains("Exitoso"), "{html}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("the backup started from the page did not finish");
}
both_engines!(
    a_dead_run_does_not_block_the_button,
    super::a_dead_run_does_not_block_the_button
);

/// The page says how backups run (issue 14, "ops in the UI"): the schedule and the next run in
/// Bogotá time, the drill's, retention, destinations without their secrets, encryption, the last
/// drill, the warnings (remote copies off; every copy on the database's disk), and it reloads itself
/// while a backup runs.
async fn the_page_shows_how_backups_run(engine: Engine) {
    use arriendo::backup::overview;
    use arriendo::backup::runs::{self, RunKind, RunOutcome, Trigger};
    use arriendo::backup::settings::{BackupSettings, Secret, TargetConfig};

    let folder = tempfile::tempdir().unwrap();
    let secret = "s3-secreto-que-nunca-se-muestra";
    let mut settings = BackupSettings::defaults(folder.path());
    settings.output_dir = folder.path().to_path_buf();
    settings.keep_days = 45;
    settings.targets = vec![TargetConfig::S3 {
        bucket: "respaldos-empresa".into(),
        access_key: Some(Secret::new("AKIA-LLAVE-DE-ACCESO")),
        secret_key: Some(Secret::new(secret)),
        region: "us-east-1".into(),
        endpoint: None,
        prefix: "arriendo".into(),
    }];
    settings.remote_enabled = false;
    settings.encryption_recipients = (0..2)
        .map(|_| age::x25519::Identity::generate().to_public().to_string())
        .collect();
    let configured = std::sync::Arc::new(settings.clone());
    let web = Web::start_with_app(engine, move |app| {
        app.backup_settings = Some(configured);
    })
    .await;
    web.add_user("ana", Role::Administrador).await;
    let ana = web.logged_in("ana").await;

    let before = overview::next_run(&settings.schedule, settings.timezone, chrono::Utc::now());
    let html = page(ana.get("/respaldos").await, 200).await;
    let after = overview::next_run(&settings.schedule, settings.timezone, chrono::Utc::now());
    let shown = |t: Option<chrono::DateTime<chrono_tz::Tz>>| {
        format!(
            "Próximo respaldo: <strong>{}</strong>",
            t.unwrap().format("%d/%m/%Y 02:00")
        )
    };
    assert!(
        html.contains(&shown(before)) || html.contains(&shown(after)),
        "{html}"
    );
    for expected in [
        "<code>0 0 2 * * *</code> (America/Bogota)",
        "<code>0 0 4 * * Sun</code>",
        "Próximo simulacro: <strong>",
        "45 días",
        "s3://respaldos-empresa/arriendo",
        "Copias externas desactivadas",
        "las copias \
         externas están desactivadas",
        "age, 2 llaves",
        "Todavía no se ha hecho ningún simulacro.",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert!(!html.contains(secret) && !html.contains("AKIA-LLAVE-DE-ACCESO"));
    assert!(!html.contains("http-equiv=\"refresh\""), "nothing runs");

    // Every copy on the database's disk: the SQLite file and the backup folder share /tmp here; on
    // PostgreSQL it depends on where the server keeps its data, read the way the page reads it.
    let database_device = match &web.app.db {
        arriendo::store::Db::Sqlite(pool) => {
            overview::device_of(pool.connect_options().get_filename())
        }
        arriendo::store::Db::Postgres(pool) => {
            let dir: String = sqlx::query_scalar("SHOW data_directory")
                .fetch_one(pool)
                .await
                .unwrap();
            overview::device_of(std::path::Path::new(&dir))
        }
    };
    let same = database_device.is_some() && database_device == overview::device_of(folder.path());
    let warning = "Todas las copias de los respaldos están en el mismo disco que la base de datos";
    assert_eq!(html.contains(warning), same, "{html}");
    if matches!(web.app.db, arriendo::store::Db::Sqlite(_)) {
        assert!(
            same,
            "a SQLite test store and its backups share the temporary folder's disk"
        );
    }
    // With the S3 copies on, a copy lives elsewhere: no warning.
    let mut remote_on = settings.clone();
    remote_on.remote_enabled = true;
    assert!(
        !overview::overview(&web.app.db, &remote_on, chrono::Utc::now())
            .await
            .same_disk
    );

    // The newest drill, failed, with its reason.
    let drill = runs::start(&web.app.db, RunKind::Drill, Trigger::Scheduled, None)
        .await
        .unwrap()
        .unwrap();
    let outcome = RunOutcome {
        error: Some("restore drill failed: s3 (backup_20260101_070000): SHA-256 distinto".into()),
        ..Default::default()
    };
    runs::finish(&web.app.db, &drill.id, &outcome)
        .await
        .unwrap();
    drill.lock.release().await;

    // A backup running (its process alive: it holds its lock): the page reloads itself.
    let running = runs::start(&web.app.db, RunKind::Backup, Trigger::Web, None)
        .await
        .unwrap()
        .unwrap();
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(
        html.contains("<meta http-equiv=\"refresh\" content=\"5\">"),
        "{html}"
    );
    assert!(html.contains("Esta página se actualiza sola"), "{html}");
    assert!(html.contains("SHA-256 distinto"), "{html}");
    assert!(!html.contains("Todavía no se ha hecho ningún simulacro."));
    runs::finish(&web.app.db, &running.id, &RunOutcome::default())
        .await
        .unwrap();
    running.lock.release().await;
    let html = page(ana.get("/respaldos").await, 200).await;
    assert!(!html.contains("http-equiv=\"refresh\""), "the backup ended");
}
both_engines!(
    the_page_shows_how_backups_run,
    super::the_page_shows_how_backups_run
);
