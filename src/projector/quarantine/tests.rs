use super::*;

async fn sqlite() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let db = crate::store::connect(None, dir.path())
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    crate::store::migrate(&db)
        .await
        .unwrap_or_else(|e| panic!("migrate: {e}"));
    (dir, db)
}

async fn meta(tx: &mut Tx, key: &str) -> Result<(), StoreError> {
    crate::on_tx!(tx, conn => {
        sqlx::query("INSERT INTO rm_meta (key, value) VALUES ($1, 'x')")
            .bind(key)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(())
}

async fn keys(db: &Db) -> Vec<String> {
    crate::on_pool!(db, pool => {
        sqlx::query_scalar("SELECT key FROM rm_meta ORDER BY key")
            .fetch_all(pool)
            .await
            .unwrap_or_default()
    })
}

#[tokio::test]
async fn a_panic_after_a_write_rolls_back_only_that_write() {
    let (_dir, db) = sqlite().await;
    let mut tx = db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    meta(&mut tx, "before")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    savepoint(&mut tx, "projector_event")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let caught = AssertUnwindSafe(async {
        meta(&mut tx, "poisoned").await?;
        panic!("NaiveDate - Days out of range")
    })
    .catch_unwind()
    .await;
    let fault = settle(&mut tx, "projector_event", caught)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        fault.as_deref(),
        Some("Falla interna (panic) al aplicarlo: NaiveDate - Days out of range")
    );
    meta(&mut tx, "after")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keys(&db).await, ["after", "before"]);
}

#[tokio::test]
async fn an_error_rolls_back_its_writes_and_success_keeps_them() {
    let (_dir, db) = sqlite().await;
    let mut tx = db.begin().await.unwrap_or_else(|e| panic!("{e}"));
    savepoint(&mut tx, "projector_event")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let caught = AssertUnwindSafe(async {
        meta(&mut tx, "poisoned").await?;
        Err(StoreError::Invalid("does not match its type".into()))
    })
    .catch_unwind()
    .await;
    let fault = settle(&mut tx, "projector_event", caught)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        fault.as_deref(),
        Some("No se pudo aplicar: does not match its type")
    );
    savepoint(&mut tx, "projector_event")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let caught = AssertUnwindSafe(meta(&mut tx, "good")).catch_unwind().await;
    let fault = settle(&mut tx, "projector_event", caught)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fault, None);
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keys(&db).await, ["good"]);
}

#[test]
fn infrastructure_failures_are_not_the_events_fault() {
    assert!(is_infrastructure(&StoreError::Sql(
        sqlx::Error::PoolTimedOut
    )));
    assert!(is_infrastructure(&StoreError::Sql(sqlx::Error::Io(
        std::io::Error::other("connection reset")
    ))));
    assert!(!is_infrastructure(&StoreError::Invalid(
        "bad payload".into()
    )));
    assert!(!is_infrastructure(&StoreError::Sql(
        sqlx::Error::RowNotFound
    )));
    for transient in ["40001", "40P01", "08006", "53100", "57014", "55P03"] {
        assert!(transient_sqlstate(transient), "{transient}");
    }
    // 54000: "index row size exceeds btree maximum", the 3,000-byte contract number.
    for data in ["54000", "22001", "23505", "22008"] {
        assert!(!transient_sqlstate(data), "{data}");
    }
    // SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT (extended), SQLITE_FULL; not SQLITE_CONSTRAINT.
    assert!(transient_sqlite_code(5));
    assert!(transient_sqlite_code(517));
    assert!(transient_sqlite_code(13));
    assert!(!transient_sqlite_code(19));
}

#[test]
fn long_errors_are_clipped_on_a_character_boundary() {
    let long = "ñ".repeat(3_000);
    let clipped = clip(&long);
    assert_eq!(clipped.chars().count(), MAX_ERROR_CHARS + 1);
    assert!(clipped.ends_with('…'));
    assert_eq!(clip("corto"), "corto");
}

#[test]
fn panic_messages_are_read_from_str_and_string() {
    assert_eq!(panic_message(&"boom"), "boom");
    assert_eq!(panic_message(&String::from("boom")), "boom");
    assert_eq!(panic_message(&42_u8), "panic sin mensaje");
}
