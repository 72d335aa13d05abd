//! Password hashing with argon2id at the OWASP parameters, always off the async runtime, and never
//! more hashes at once than the machine has cores.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::Rng;
use tokio::sync::Semaphore;

use super::AuthError;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted (hashing cost is bounded).
pub const MAX_LENGTH: usize = 256;

/// argon2id, m = 19456 KiB, t = 2, p = 1 (OWASP's minimum recommendation).
fn hasher() -> Result<Argon2<'static>, AuthError> {
    let params = Params::new(19_456, 2, 1, None)
        .map_err(|e| AuthError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Each argon2 run holds 19 MiB and a core for tens of milliseconds. Without a cap, a burst of 200
/// logins ran 200 hashes at once on the blocking pool (795 MB resident) and starved every other
/// request; with one permit per core, extra logins wait their turn in the queue, holding nothing but
/// their (small) request.
static HASH_PERMITS: std::sync::OnceLock<Arc<Semaphore>> = std::sync::OnceLock::new();

/// How many argon2 runs may proceed at once: the cores available to the process.
pub fn hash_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(1)
}

/// Runs one argon2 computation on the blocking pool once a permit is free. The permit travels into
/// the blocking task: a request abandoned mid-hash (the client went away) does not free it before
/// the hash ends, so the cap holds for the threads actually hashing.
async fn with_permit<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
) -> Result<T, AuthError> {
    let permits = HASH_PERMITS.get_or_init(|| Arc::new(Semaphore::new(hash_concurrency())));
    // The semaphore is never closed, so acquiring only fails if that changes.
    let permit = permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| AuthError::Internal(format!("hash permits closed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        #[cfg(test)]
        let _gauge = gauge::Running::start();
        work()
    })
    .await
    .map_err(|e| AuthError::Internal(format!("hashing task failed: {e}")))?
}

/// How many hashes ran at once at most (tests only: proves the cap).
#[cfg(test)]
mod gauge {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    pub static MOST: AtomicUsize = AtomicUsize::new(0);

    pub struct Running;

    impl Running {
        pub fn start() -> Running {
            let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
            MOST.fetch_max(now, Ordering::SeqCst);
            Running
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Refuses passwords that are too short or too long (message for the user, in Spanish).
pub fn validate(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err(AuthError::Invalid(format!(
            "la contraseña debe tener al menos {MIN_LENGTH} caracteres"
        )));
    }
    if chars > MAX_LENGTH {
        return Err(AuthError::Invalid(format!(
            "la contraseña no puede tener más de {MAX_LENGTH} caracteres"
        )));
    }
    Ok(())
}

/// Validates and hashes a password on the blocking pool; returns the PHC string.
pub async fn hash(password: String) -> Result<String, AuthError> {
    validate(&password)?;
    hash_unchecked(password).await
}

/// Hashes without validating (the dummy hash for unknown users).
pub(crate) async fn hash_unchecked(password: String) -> Result<String, AuthError> {
    with_permit(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AuthError::Internal(format!("hashing failed: {e}")))
    })
    .await
}

/// Checks a password against a PHC string on the blocking pool, in one of the kept work areas. A
/// malformed hash never verifies.
pub async fn verify(password: String, phc: String) -> Result<bool, AuthError> {
    with_permit(move || {
        let mut area = take_area();
        let verified = verify_in(password.as_bytes(), &phc, &mut area);
        give_back(area);
        Ok(verified)
    })
    .await
}

/// argon2's 19 MiB work areas, kept for the life of the process and reused: at most one per hash
/// permit ever exists (an area is only taken under a permit). Allocating a fresh area per check left
/// the allocator holding freed areas in several of its arenas: 200 simultaneous logins still peaked
/// at 450 MB with two permits. Verification, the path anonymous requests reach, uses them; hashing a
/// new password (an administrador's or the user's own action) allocates as before.
static WORK_AREAS: std::sync::Mutex<Vec<Vec<Block>>> = std::sync::Mutex::new(Vec::new());

fn work_areas() -> std::sync::MutexGuard<'static, Vec<Vec<Block>>> {
    // Plain buffers: usable whatever a panicking holder left.
    match WORK_AREAS.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn take_area() -> Vec<Block> {
    work_areas().pop().unwrap_or_default()
}

fn give_back(area: Vec<Block>) {
    work_areas().push(area);
}

/// What `PasswordVerifier::verify_password` does, with the caller's work area: the algorithm,
/// version, parameters and salt come from the PHC string, and the outputs compare in constant time.
fn verify_in(password: &[u8], phc: &str, area: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_buffer = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buffer) else {
        return false;
    };
    if area.len() < params.block_count() {
        area.resize(params.block_count(), Block::default());
    }
    let mut computed = vec![0u8; expected.len()];
    let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut computed,
        &mut area[..],
    );
    // `Output`'s equality is constant-time.
    hashed.is_ok() && Output::new(&computed).is_ok_and(|computed| computed == expected)
}

/// A random password of `len` characters from an alphabet without look-alikes (0/O, 1/l/I).
pub fn generate(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// A random token (hex) for CSRF.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_owasp_parameters_and_verifies() {
        let phc = hash("una clave bastante larga".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            verify("una clave bastante larga".into(), phc.clone())
                .await
                .unwrap()
        );
        assert!(!verify("otra clave cualquiera".into(), phc).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn never_more_hashes_at_once_than_cores() {
        let phc = hash("una clave bastante larga".into()).await.unwrap();
        let checks: Vec<_> = (0..hash_concurrency() * 4 + 2)
            .map(|i| tokio::spawn(verify(format!("intento {i}"), phc.clone())))
            .collect();
        for check in checks {
            assert!(!check.await.unwrap().unwrap());
        }
        let most = gauge::MOST.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            (1..=hash_concurrency()).contains(&most),
            "{most} hashes at once with {} cores",
            hash_concurrency()
        );
        // And the work areas are reused, never more than one per permit.
        let areas = work_areas().len();
        assert!(
            (1..=hash_concurrency()).contains(&areas),
            "{areas} work areas"
        );
    }

    #[tokio::test]
    async fn refuses_short_passwords() {
        assert!(matches!(
            hash("corta".into()).await,
            Err(AuthError::Invalid(_))
        ));
        assert_eq!(generate(20).len(), 20);
        assert_eq!(random_token().len(), 64);
    }
}
