//! Security settings, read from the environment, and the clock (injectable so tests can move time).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use super::AuthError;

/// The time source of sessions and lockouts.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    /// A clock that only moves when told to (tests).
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(time) => match time.lock() {
                Ok(time) => *time,
                Err(poisoned) => *poisoned.into_inner(),
            },
        }
    }

    /// Moves a manual clock forward (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(time) = self {
            let mut guard = match time.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            *guard += by;
        }
    }
}

/// Everything configurable about accounts, sessions and lockouts.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// `ARRIENDO_PUBLIC_URL`: when https, cookies are `Secure` with the `__Host-` prefix and HSTS is sent;
    /// its origin is the only one accepted in `Origin` headers.
    pub public_url: Option<url::Url>,
    /// `ARRIENDO_SESSION_IDLE_MINUTES` (60): a session unused this long ends.
    pub idle_timeout: Duration,
    /// `ARRIENDO_SESSION_MAX_HOURS` (8): a session ends this long after login, used or not.
    pub absolute_timeout: Duration,
    /// `ARRIENDO_LOCKOUT_FAILURES` (5): failed logins for one (username, IP) before it is locked.
    pub lockout_failures: i64,
    /// `ARRIENDO_LOCKOUT_MINUTES` (60): how long a lock lasts (and the window failures are counted in).
    pub lockout_duration: Duration,
    /// `ARRIENDO_LOGIN_IP_FAILURES` (20): failed logins one IP may make across every username within
    /// `lockout_duration` before it is refused (kept in memory, see `auth::throttle`).
    pub ip_failures: i64,
    /// `ARRIENDO_TRUSTED_PROXIES` (0): reverse proxies in front of the app; when > 0 the client IP is
    /// taken from `X-Forwarded-For` at that depth from the right.
    pub trusted_proxies: usize,
    pub clock: Clock,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            public_url: None,
            idle_timeout: Duration::minutes(60),
            absolute_timeout: Duration::hours(8),
            lockout_failures: 5,
            lockout_duration: Duration::minutes(60),
            ip_failures: 20,
            trusted_proxies: 0,
            clock: Clock::System,
        }
    }
}

fn env_number(name: &str) -> Result<Option<i64>, AuthError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0 || name == "ARRIENDO_TRUSTED_PROXIES" && *n == 0)
            .map(Some)
            .ok_or_else(|| {
                AuthError::Config(format!("{name} must be a positive integer, got {value:?}"))
            }),
        _ => Ok(None),
    }
}

impl AuthSettings {
    /// Reads the `ARRIENDO_*` variables above; unset ones take their defaults.
    pub fn from_env() -> Result<Self, AuthError> {
        let mut settings = Self::default();
        if let Ok(url) = std::env::var("ARRIENDO_PUBLIC_URL")
            && !url.trim().is_empty()
        {
            let parsed = url::Url::parse(url.trim()).map_err(|e| {
                AuthError::Config(format!("ARRIENDO_PUBLIC_URL {url:?} is not a URL: {e}"))
            })?;
            settings.public_url = Some(parsed);
        }
        if let Some(n) = env_number("ARRIENDO_SESSION_IDLE_MINUTES")? {
            settings.idle_timeout = Duration::minutes(n);
        }
        if let Some(n) = env_number("ARRIENDO_SESSION_MAX_HOURS")? {
            settings.absolute_timeout = Duration::hours(n);
        }
        if let Some(n) = env_number("ARRIENDO_LOCKOUT_FAILURES")? {
            settings.lockout_failures = n;
        }
        if let Some(n) = env_number("ARRIENDO_LOCKOUT_MINUTES")? {
            settings.lockout_duration = Duration::minutes(n);
        }
        if let Some(n) = env_number("ARRIENDO_LOGIN_IP_FAILURES")? {
            settings.ip_failures = n;
        }
        if let Some(n) = env_number("ARRIENDO_TRUSTED_PROXIES")? {
            settings.trusted_proxies = usize::try_from(n).unwrap_or(0);
        }
        Ok(settings)
    }

    /// Served over HTTPS (per `ARRIENDO_PUBLIC_URL`).
    pub fn https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|url| url.scheme() == "https")
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.https() {
            "__Host-arriendo_sesion"
        } else {
            "arriendo_sesion"
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
