//! The extractors handlers take: the signed-in user ([`CurrentUser`]), the role checks
//! ([`RequireWrite`], [`RequireAdmin`], [`RequireAudit`], defence in depth beside each route's
//! [`Access`](super::security::Access)) and what a page needs to render its layout ([`Ctx`]).

use arriendo_events::actor::{Actor, Role};
use arriendo_views::layout::{PageContext, UserBadge};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::security::{AuthSession, csrf_token, forbidden, login_redirect, take_flashes};
use crate::auth::SessionUser;
use crate::store::Metadata;

/// The logged-in user. Anonymous requests are redirected (303) to `/login?next=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub username: String,
    pub role: Role,
    /// The id of the request this user made (`http::request_id`): every event it appends carries it.
    pub request_id: Option<String>,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor::new(self.username.clone(), self.role)
    }

    /// Event metadata for a command this user issues: the request's id, so the events, the log
    /// lines and the `x-request-id` the user saw match. A fresh id only outside a request.
    pub fn metadata(&self) -> Metadata {
        let request_id = self
            .request_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        Metadata::new(self.username.clone(), request_id)
    }

    pub fn can_write(&self) -> bool {
        self.role != Role::Auditor
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Administrador
    }

    pub(crate) fn from_session_user(user: &SessionUser, extensions: &Extensions) -> Self {
        Self {
            username: user.username.clone(),
            role: user.role,
            request_id: super::request_id::of(extensions),
        }
    }
}

pub(super) fn session_user(parts: &Parts) -> Option<SessionUser> {
    parts
        .extensions
        .get::<AuthSession>()
        .and_then(|auth| auth.user.clone())
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        match session_user(parts) {
            Some(user) => Ok(CurrentUser::from_session_user(&user, &parts.extensions)),
            None => Err(login_redirect(&parts.method, &parts.uri, false)),
        }
    }
}

/// A gestor or an administrador; auditors get 403 (defence in depth beside [`Access::Write`]).
#[derive(Clone, Debug)]
pub struct RequireWrite(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireWrite {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.can_write() {
            Ok(RequireWrite(user))
        } else {
            Err(forbidden(parts).await)
        }
    }
}

/// An administrador; everyone else gets 403 (defence in depth beside [`Access::Admin`]).
#[derive(Clone, Debug)]
pub struct RequireAdmin(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_admin() {
            Ok(RequireAdmin(user))
        } else {
            Err(forbidden(parts).await)
        }
    }
}

/// An administrador or an auditor; gestores get 403 (defence in depth beside [`Access::Audit`]).
#[derive(Clone, Debug)]
pub struct RequireAudit(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireAudit {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.is_admin() || user.role == Role::Auditor {
            Ok(RequireAudit(user))
        } else {
            Err(forbidden(parts).await)
        }
    }
}

/// What a page handler needs to render the layout: the user (if any), the session (for flashes), and
/// the [`PageContext`] (badge, CSRF token, pending flash messages, current path).
#[derive(Clone, Debug)]
pub struct Ctx {
    pub user: Option<CurrentUser>,
    pub session: Session,
    pub page: PageContext,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        let Some(session) = parts.extensions.get::<Session>().cloned() else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let user =
            session_user(parts).map(|u| CurrentUser::from_session_user(&u, &parts.extensions));
        let mut page = page_context(&session, user.as_ref(), parts.uri.path()).await;
        page.quarantined = super::cuarentena::quarantined(&parts.extensions);
        page.inbox = super::bandeja::pending_on(&parts.extensions);
        Ok(Ctx {
            user,
            session,
            page,
        })
    }
}

/// The role in Spanish, as the header shows it.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Administrador => "Administrador",
        Role::Gestor => "Gestor",
        Role::Auditor => "Auditor",
    }
}

pub async fn page_context(
    session: &Session,
    user: Option<&CurrentUser>,
    path: &str,
) -> PageContext {
    PageContext {
        user: user.map(|u| UserBadge {
            username: u.username.clone(),
            role_label: role_label(u.role).to_string(),
            is_admin: u.is_admin(),
        }),
        // Only a logged-in user's session holds a CSRF token: an anonymous visitor gets no session
        // row (the login form's token is a cookie, see `http::ingreso`).
        csrf_token: match user {
            Some(_) => csrf_token(session).await,
            None => String::new(),
        },
        flash: take_flashes(session).await,
        current_path: path.to_string(),
        quarantined: 0,
        inbox: 0,
    }
}
