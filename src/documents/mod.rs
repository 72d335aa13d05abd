//! The document store: the bytes of attachments and of the company's logo, kept through
//! object_store beside the event log (a local folder by default, S3 where configured).
//!
//! Files are addressed by their SHA-256 (`documentos/ab/abcdef…`): an upload of the same bytes
//! twice writes one object, a stored object is never overwritten with other bytes, and every read
//! is checked against the digest its event recorded, so a file changed behind Arriendo's back is
//! refused instead of served. Every call runs under a time limit: a hung S3 endpoint fails the
//! upload with a message instead of holding the request.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use arriendo_events::{MediaType, StoredFile};
use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

/// `ARRIENDO_DOCUMENTS_URL`: where documents live (`s3://bucket/prefix`, or a folder). Unset: the
/// `documentos` folder of the data directory.
pub const DOCUMENTS_URL_VAR: &str = "ARRIENDO_DOCUMENTS_URL";
/// `ARRIENDO_DOCUMENTS_TIMEOUT_SECS`: the limit of one read or write (default 60 s).
pub const DOCUMENTS_TIMEOUT_VAR: &str = "ARRIENDO_DOCUMENTS_TIMEOUT_SECS";

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("document store configuration: {0}")]
    Config(String),
    #[error("the document store did not answer within {0:?}")]
    Timeout(Duration),
    #[error("document store: {0}")]
    Store(#[from] object_store::Error),
    #[error("document {0} is not in the store")]
    Missing(String),
    #[error("document {0} does not match its SHA-256: it was changed outside Arriendo")]
    Corrupt(String),
}

impl DocumentError {
    /// What the user reads (the details go to the log).
    pub fn for_people(&self) -> &'static str {
        match self {
            DocumentError::Missing(_) => "El archivo no está en el almacén de documentos.",
            DocumentError::Corrupt(_) => {
                "El archivo guardado no coincide con su huella SHA-256: fue modificado fuera de \
                 Arriendo y no se entrega. Avise al administrador."
            }
            DocumentError::Timeout(_) => {
                "El almacén de documentos no respondió a tiempo. Intente de nuevo en unos minutos."
            }
            DocumentError::Config(_) | DocumentError::Store(_) => {
                "No se pudo usar el almacén de documentos. Intente de nuevo o avise al administrador."
            }
        }
    }
}

/// An uploaded file, checked: its digest, size and real type.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Bytes,
    pub sha256: String,
    pub media_type: Option<MediaType>,
}

impl Upload {
    pub fn new(bytes: Bytes) -> Upload {
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let media_type = MediaType::sniff(&bytes);
        Upload {
            bytes,
            sha256,
            media_type,
        }
    }

    /// The event's description of this file, when its type is one that is kept.
    pub fn stored_file(&self, file_name: &str) -> Option<StoredFile> {
        Some(StoredFile {
            sha256: self.sha256.clone(),
            size_bytes: self.bytes.len() as u64,
            media_type: self.media_type?,
            file_name: file_name.trim().to_string(),
        })
    }
}

#[derive(Clone, Debug)]
pub struct DocumentStore {
    store: Arc<dyn ObjectStore>,
    /// Where it is, for people and logs (no credential).
    pub location: String,
    timeout: Duration,
}

impl DocumentStore {
    /// From `ARRIENDO_DOCUMENTS_URL` (S3 credentials and endpoint from the usual `AWS_*`
    /// variables), else the `documentos` folder of `data_dir`.
    pub fn from_env(data_dir: &Path) -> Result<DocumentStore, DocumentError> {
        let timeout = match std::env::var(DOCUMENTS_TIMEOUT_VAR) {
            Ok(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| *s > 0)
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    DocumentError::Config(format!(
                        "{DOCUMENTS_TIMEOUT_VAR} is not a positive number of seconds: {v:?}"
                    ))
                })?,
            Err(_) => Duration::from_secs(60),
        };
        match std::env::var(DOCUMENTS_URL_VAR) {
            Ok(url) if url.starts_with("s3://") => Self::s3(&url, timeout),
            Ok(folder) if !folder.trim().is_empty() => {
                Self::folder(Path::new(folder.trim()), timeout)
            }
            _ => Self::folder(&data_dir.join("documentos"), timeout),
        }
    }

    pub fn folder(path: &Path, timeout: Duration) -> Result<DocumentStore, DocumentError> {
        std::fs::create_dir_all(path)
            .map_err(|e| DocumentError::Config(format!("cannot create {}: {e}", path.display())))?;
        let store = LocalFileSystem::new_with_prefix(path)?;
        Ok(DocumentStore {
            store: Arc::new(store),
            location: path.display().to_string(),
            timeout,
        })
    }

    fn s3(url: &str, timeout: Duration) -> Result<DocumentStore, DocumentError> {
        let builder = object_store::aws::AmazonS3Builder::from_env().with_url(url);
        Self::s3_with(builder, url, timeout)
    }

    /// An S3 store whose every call is cut at `timeout`, whatever the client's own retries. The
    /// time limits are set key by key: replacing the client options would drop what `AWS_*`
    /// variables set there (`AWS_ALLOW_HTTP` for a MinIO or moto endpoint).
    fn s3_with(
        builder: object_store::aws::AmazonS3Builder,
        location: &str,
        timeout: Duration,
    ) -> Result<DocumentStore, DocumentError> {
        use object_store::ClientConfigKey;
        use object_store::aws::AmazonS3ConfigKey;
        let store = builder
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout),
                "10s",
            )
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::Timeout),
                format!("{}ms", timeout.as_millis()),
            )
            .build()?;
        Ok(DocumentStore {
            store: Arc::new(store),
            location: location.to_string(),
            timeout,
        })
    }

    fn key(sha256: &str) -> ObjectPath {
        let shard = sha256.get(..2).unwrap_or("00");
        ObjectPath::from(format!("documentos/{shard}/{sha256}"))
    }

    async fn within<T>(
        &self,
        work: impl std::future::Future<Output = Result<T, object_store::Error>>,
    ) -> Result<T, DocumentError> {
        match tokio::time::timeout(self.timeout, work).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(DocumentError::Timeout(self.timeout)),
        }
    }

    /// Keeps the upload's bytes under its digest. Bytes already there (the same file uploaded
    /// again) are not written twice.
    pub async fn put(&self, upload: &Upload) -> Result<(), DocumentError> {
        let key = Self::key(&upload.sha256);
        match self.within(self.store.head(&key)).await {
            Ok(meta) if meta.size == upload.bytes.len() as u64 => return Ok(()),
            Ok(_) | Err(DocumentError::Store(object_store::Error::NotFound { .. })) => {}
            Err(e) => return Err(e),
        }
        let payload = PutPayload::from_bytes(upload.bytes.clone());
        self.within(self.store.put(&key, payload)).await?;
        Ok(())
    }

    /// The bytes of a recorded file, checked against its digest.
    pub async fn get(&self, file: &StoredFile) -> Result<Bytes, DocumentError> {
        let key = Self::key(&file.sha256);
        let bytes = self
            .within(async { self.store.get(&key).await?.bytes().await })
            .await
            .map_err(|e| match e {
                DocumentError::Store(object_store::Error::NotFound { .. }) => {
                    DocumentError::Missing(file.sha256.clone())
                }
                other => other,
            })?;
        if hex::encode(Sha256::digest(&bytes)) != file.sha256 {
            return Err(DocumentError::Corrupt(file.sha256.clone()));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(text: &str) -> Upload {
        Upload::new(Bytes::from(format!("%PDF-1.7\n{text}")))
    }

    #[tokio::test]
    async fn a_file_comes_back_as_it_went_and_a_changed_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = DocumentStore::folder(dir.path(), Duration::from_secs(5)).unwrap();
        let upload = pdf("contrato firmado");
        store.put(&upload).await.unwrap();
        store.put(&upload).await.unwrap();
        let file = upload.stored_file("contrato.pdf").unwrap();
        assert_eq!(store.get(&file).await.unwrap(), upload.bytes);

        let on_disk = dir
            .path()
            .join("documentos")
            .join(&upload.sha256[..2])
            .join(&upload.sha256);
        std::fs::write(&on_disk, b"%PDF-1.7\nalterado").unwrap();
        assert!(matches!(
            store.get(&file).await,
            Err(DocumentError::Corrupt(_))
        ));
        std::fs::remove_file(&on_disk).unwrap();
        assert!(matches!(
            store.get(&file).await,
            Err(DocumentError::Missing(_))
        ));
    }

    /// The worst peer: an S3 endpoint that accepts the connection and never answers. The upload
    /// and the read fail with a timeout after the limit, instead of holding the request.
    #[tokio::test]
    async fn a_hung_s3_endpoint_fails_within_the_limit() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                open.push(socket);
            }
        });
        let builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name("documentos")
            .with_region("us-east-1")
            .with_access_key_id("x")
            .with_secret_access_key("y")
            .with_endpoint(format!("http://{address}"))
            .with_allow_http(true);
        let limit = Duration::from_millis(500);
        let store = DocumentStore::s3_with(builder, "s3://documentos", limit).unwrap();
        let upload = pdf("contrato");
        let started = std::time::Instant::now();
        let put = store.put(&upload).await;
        assert!(matches!(put, Err(DocumentError::Timeout(_))), "{put:?}");
        let file = upload.stored_file("c.pdf").unwrap();
        assert!(matches!(
            store.get(&file).await,
            Err(DocumentError::Timeout(_))
        ));
        assert!(started.elapsed() < Duration::from_secs(10));
        held.abort();
    }

    #[test]
    fn html_is_not_a_kept_type_whatever_its_name() {
        let upload = Upload::new(Bytes::from_static(b"<html><script>alert(1)</script>"));
        assert!(upload.media_type.is_none());
        assert!(upload.stored_file("contrato.pdf").is_none());
    }
}
