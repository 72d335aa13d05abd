//! `/renovaciones` lists every automatic renewal of the demo portfolio with its state, on both
//! engines, and filters by state.
#![allow(clippy::unwrap_used)]

mod auth_support;
mod common;

use arriendo_events::actor::Role;
use auth_support::Web;
use common::Engine;

async fn renewals_list(engine: Engine) {
    let web = Web::start(engine).await;
    arriendo::demo::load(&web.app, arriendo::app::today())
        .await
        .unwrap();
    web.app.projector.catch_up().await.unwrap();
    web.add_user("aura-auditora", Role::Auditor).await;
    let auditor = web.logged_in("aura-auditora").await;

    let all = auditor.get("/renovaciones").await;
    assert_eq!(all.status(), 200);
    let html = all.text().await.unwrap();
    // The demo approves one renewal, annuls another and leaves a third proposed.
    assert!(html.contains("3 renovaciones"), "{html}");
    for state in ["Propuesta", "Aprobada", "Anulada"] {
        assert!(html.contains(state), "{state} missing");
    }
    assert!(
        html.contains("Renovación registrada por error"),
        "the annulment reason is shown"
    );
    assert!(html.contains("href=\"/contratos/"));

    let annulled = auditor
        .get("/renovaciones?estado=anulada")
        .await
        .text()
        .await
        .unwrap();
    assert!(annulled.contains("1 renovación"), "{annulled}");
    assert!(!annulled.contains(">Propuesta<") && !annulled.contains(">Aprobada<"));
}
both_engines!(renewals_list, super::renewals_list);
