//! Builds the HTTP server on a bound listener, so tests can start the real app on port 0.

use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::app::{App, AppError};

pub struct Server {
    listener: TcpListener,
    app: App,
}

impl Server {
    pub async fn bind(app: App, address: SocketAddr) -> Result<Self, AppError> {
        let listener = TcpListener::bind(address)
            .await
            .map_err(|e| AppError::Usage(format!("cannot listen on {address}: {e}")))?;
        Ok(Self { listener, app })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub async fn run(self) -> Result<(), AppError> {
        let router = crate::http::router(self.app);
        // The peer address feeds the login lockout (see `http::security::client_ip`).
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        Ok(())
    }
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, the signal `docker stop`, systemd and Kubernetes send.
/// The server then stops accepting, finishes the requests in flight and returns.
pub async fn shutdown_signal() {
    let interrupt = async {
        // If a handler cannot be installed that signal simply never triggers a graceful shutdown.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!(signal = "SIGINT", "shutdown requested"),
        () = terminate => tracing::info!(signal = "SIGTERM", "shutdown requested"),
    }
}
