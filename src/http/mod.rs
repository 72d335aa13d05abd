//! HTTP routes: one module per area, each contributing its rows to the route table.

use axum::Router;

use crate::app::App;

pub mod assets;
pub mod atender;
pub mod auditoria;
pub mod auth;
pub mod bandeja;
pub mod buscar;
pub mod calendario;
pub mod catalogos;
pub mod clausulas;
pub mod contratos;
pub mod correo;
pub mod csrf;
pub mod cuarentena;
pub mod dashboard;
pub mod descarga;
pub mod documentos;
pub mod empresa;
pub mod entrada;
pub mod exportar;
pub mod extractors;
pub mod indices;
pub mod ingreso;
pub mod integridad;
pub mod lecturas;
pub mod listas;
pub mod locales;
pub mod metricas;
pub mod page_error;
pub mod panics;
pub mod polizas;
pub mod relacion;
pub mod renovaciones;
pub mod request_id;
pub mod respaldos;
pub mod respuestas;
pub mod security;
pub mod session_data;
pub mod subida;
pub mod terceros;
pub mod usuarios;
pub mod ventas;
pub mod ventas_calculo;

pub use security::{Access, Ctx, CurrentUser, RequireAdmin, RequireWrite, Route};

/// The route table: every route of the application with who may use it. Register new routes here
/// (or in a module's `routes()` extended here); `tests/auth_routes.rs` walks this table for every role.
pub fn routes() -> Vec<Route> {
    let mut routes = Vec::new();
    routes.extend(dashboard::routes());
    routes.extend(bandeja::routes());
    routes.extend(buscar::routes());
    routes.extend(atender::routes());
    routes.extend(correo::routes());
    routes.extend(calendario::routes());
    routes.extend(contratos::routes());
    routes.extend(documentos::routes());
    routes.extend(empresa::routes());
    routes.extend(terceros::routes());
    routes.extend(locales::routes());
    routes.extend(catalogos::routes());
    routes.extend(polizas::routes());
    routes.extend(renovaciones::routes());
    routes.extend(ventas::routes());
    routes.extend(indices::routes());
    routes.extend(respaldos::routes());
    routes.extend(cuarentena::routes());
    routes.extend(auditoria::routes());
    routes.extend(integridad::routes());
    routes.extend(exportar::routes());
    routes.extend(lecturas::routes());
    routes.extend(relacion::routes());
    routes.extend(listas::routes());
    routes.extend(ventas_calculo::routes());
    routes.extend(assets::routes());
    routes.extend(ingreso::routes());
    routes.extend(auth::routes());
    routes.extend(usuarios::routes());
    routes.extend(metricas::routes());
    routes.push(Route::get("/salud", Access::Public, health));
    routes
}

/// For load balancers and `docker compose`: 200 when the store answers, 503 otherwise. Says nothing
/// about the data. One indexed read (the log's last position), never a count of the log: probes come
/// every few seconds and the log only grows.
async fn health(
    axum::extract::State(app): axum::extract::State<App>,
) -> (axum::http::StatusCode, &'static str) {
    match crate::store::event_log::last_position(&app.db).await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: the store does not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "sin base de datos",
            )
        }
    }
}

/// The application: the route table behind sessions, login, roles, CSRF and security headers, with
/// gzip for clients that accept it. Every request carries the quarantine count for the banner.
///
/// Downloads (`application/octet-stream`: backup files) are never compressed: they are binary or
/// already gzip, and compressing their stream panicked in the encoder and cut the file short in
/// browsers, which all send `Accept-Encoding: gzip`.
pub fn router(app: App) -> Router {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    let compressible =
        DefaultPredicate::new().and(NotForContentType::const_new("application/octet-stream"));
    let router = security::protect(routes(), &app)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            cuarentena::notice,
        ))
        .layer(tower_http::compression::CompressionLayer::new().compress_when(compressible))
        .layer(axum::middleware::from_fn(crate::metrics::track));
    crate::metrics::install();
    request_id::layers(router)
}
