//! An `ObjectStore` over SFTP (russh + russh-sftp), so SFTP goes through the same code path as S3 and
//! folders. The server's host key is always verified: against a pinned `SHA256:` fingerprint or a
//! known-hosts file; an unknown key ends the connection before any credential is sent.
//!
//! Writes go to a hidden `.NAME.partial` file renamed at the end, so a killed upload never looks
//! complete. The TCP connection has a connect timeout and the SSH handshake the operation deadline
//! (see [`super::deadline`]): a server that accepts and then stops answering ends in an error.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use futures::stream::{self, BoxStream, StreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{
    CopyOptions, GetOptions, GetResult, GetResultPayload, ListResult, MultipartUpload, ObjectMeta,
    ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult,
};
use russh_sftp::client::SftpSession;
use russh_sftp::protocol::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::deadline::RemoteTimeouts;
use super::settings::SftpConfig;
use upload::SftpUpload;

mod session;
mod upload;

const STORE: &str = "SFTP";

pub struct SftpStore {
    config: SftpConfig,
    timeouts: RemoteTimeouts,
    session: Arc<Mutex<Option<Arc<Connection>>>>,
}

struct Connection {
    sftp: SftpSession,
    ssh: russh::client::Handle<session::HostKeyCheck>,
}

impl fmt::Debug for SftpStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SftpStore({}@{}:{}{})",
            self.config.user, self.config.host, self.config.port, self.config.path
        )
    }
}

impl fmt::Display for SftpStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sftp://{}@{}:{}{}",
            self.config.user, self.config.host, self.config.port, self.config.path
        )
    }
}

fn generic(message: impl Into<String>) -> object_store::Error {
    object_store::Error::Generic {
        store: STORE,
        source: message.into().into(),
    }
}

fn map_sftp(path: &str, e: russh_sftp::client::error::Error) -> object_store::Error {
    match &e {
        russh_sftp::client::error::Error::Status(status)
            if status.status_code == StatusCode::NoSuchFile =>
        {
            object_store::Error::NotFound {
                path: path.to_string(),
                source: Box::new(e),
            }
        }
        _ => object_store::Error::Generic {
            store: STORE,
            source: Box::new(e),
        },
    }
}

impl SftpStore {
    pub fn new(config: SftpConfig, timeouts: RemoteTimeouts) -> Self {
        Self {
            config,
            timeouts,
            session: Arc::new(Mutex::new(None)),
        }
    }

    /// The same store on the same connection, owned (for streams that outlive `&self`).
    fn share(&self) -> Self {
        Self {
            config: self.config.clone(),
            timeouts: self.timeouts,
            session: self.session.clone(),
        }
    }

    fn full(&self, location: &ObjectPath) -> String {
        let root = self.config.path.trim_end_matches('/');
        if location.as_ref().is_empty() {
            root.to_string()
        } else {
            format!("{root}/{location}")
        }
    }

    fn partial_of(&self, location: &ObjectPath) -> String {
        let full = self.full(location);
        match full.rsplit_once('/') {
            Some((dir, name)) => format!("{dir}/.{name}.partial"),
            None => format!(".{full}.partial"),
        }
    }

    async fn mkdir_p(sftp: &SftpSession, path: &str) -> object_store::Result<()> {
        let Some((dir, _)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let mut current = String::new();
        for part in dir.split('/') {
            if part.is_empty() {
                current.push('/');
                continue;
            }
            if !current.is_empty() && !current.ends_with('/') {
                current.push('/');
            }
            current.push_str(part);
            if !sftp
                .try_exists(current.clone())
                .await
                .map_err(|e| map_sftp(&current, e))?
            {
                sftp.create_dir(current.clone())
                    .await
                    .map_err(|e| map_sftp(&current, e))?;
            }
        }
        Ok(())
    }

    /// Moves a finished partial file over its final name.
    async fn publish(sftp: &SftpSession, partial: &str, full: &str) -> object_store::Result<()> {
        if sftp
            .try_exists(full.to_string())
            .await
            .map_err(|e| map_sftp(full, e))?
        {
            sftp.remove_file(full.to_string())
                .await
                .map_err(|e| map_sftp(full, e))?;
        }
        sftp.rename(partial.to_string(), full.to_string())
            .await
            .map_err(|e| map_sftp(full, e))
    }

    async fn meta_of(
        &self,
        sftp: &SftpSession,
        location: &ObjectPath,
    ) -> object_store::Result<ObjectMeta> {
        let full = self.full(location);
        let meta = sftp
            .metadata(full.clone())
            .await
            .map_err(|e| map_sftp(&full, e))?;
        Ok(ObjectMeta {
            location: location.clone(),
            last_modified: mtime(meta.mtime),
            size: meta.size.unwrap_or(0),
            e_tag: None,
            version: None,
        })
    }

    async fn walk(
        &self,
        prefix: Option<ObjectPath>,
        recursive: bool,
    ) -> object_store::Result<ListResult> {
        let conn = self.connect().await?;
        let base = prefix.unwrap_or_default();
        let mut objects = Vec::new();
        let mut common_prefixes = Vec::new();
        let mut pending = vec![base];
        while let Some(dir) = pending.pop() {
            let full = self.full(&dir);
            let entries = match conn.sftp.read_dir(full.clone()).await {
                Ok(entries) => entries,
                Err(e) => match map_sftp(&full, e) {
                    object_store::Error::NotFound { .. } => continue,
                    other => return Err(other),
                },
            };
            for entry in entries {
                let name = entry.file_name();
                if name == "." || name == ".." || name.ends_with(".partial") {
                    continue;
                }
                let location = dir.clone().join(name.as_str());
                let meta = entry.metadata();
                if meta.is_dir() {
                    if recursive {
                        pending.push(location);
                    } else {
                        common_prefixes.push(location);
                    }
                } else {
                    objects.push(ObjectMeta {
                        location,
                        last_modified: mtime(meta.mtime),
                        size: meta.size.unwrap_or(0),
                        e_tag: None,
                        version: None,
                    });
                }
            }
        }
        Ok(ListResult {
            common_prefixes,
            objects,
            extensions: Default::default(),
        })
    }
}

fn mtime(seconds: Option<u32>) -> DateTime<Utc> {
    seconds
        .and_then(|s| Utc.timestamp_opt(i64::from(s), 0).single())
        .unwrap_or_else(Utc::now)
}

#[async_trait]
impl ObjectStore for SftpStore {
    async fn put_opts(
        &self,
        location: &ObjectPath,
        payload: PutPayload,
        _opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        let conn = self.connect().await?;
        let full = self.full(location);
        let partial = self.partial_of(location);
        Self::mkdir_p(&conn.sftp, &full).await?;
        let mut file = conn
            .sftp
            .create(partial.clone())
            .await
            .map_err(|e| map_sftp(&partial, e))?;
        for chunk in payload.iter() {
            file.write_all(chunk)
                .await
                .map_err(|e| generic(format!("write {partial}: {e}")))?;
        }
        file.shutdown()
            .await
            .map_err(|e| generic(format!("close {partial}: {e}")))?;
        Self::publish(&conn.sftp, &partial, &full).await?;
        Ok(PutResult {
            e_tag: None,
            version: None,
            extensions: Default::default(),
        })
    }

    async fn put_multipart_opts(
        &self,
        location: &ObjectPath,
        _opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        let conn = self.connect().await?;
        let full = self.full(location);
        let partial = self.partial_of(location);
        Self::mkdir_p(&conn.sftp, &full).await?;
        let mut file = conn
            .sftp
            .create(partial.clone())
            .await
            .map_err(|e| map_sftp(&partial, e))?;
        // Parts are handed over in order and written in that order by one task.
        let (tx, mut rx) =
            mpsc::unbounded_channel::<(PutPayload, oneshot::Sender<object_store::Result<()>>)>();
        let writer_partial = partial.clone();
        let writer = tokio::spawn(async move {
            let mut failed = None;
            while let Some((payload, done)) = rx.recv().await {
                let mut result = Ok(());
                if let Some(e) = &failed {
                    result = Err(generic(format!("an earlier part failed: {e}")));
                } else {
                    for chunk in payload.iter() {
                        if let Err(e) = file.write_all(chunk).await {
                            failed = Some(e.to_string());
                            result = Err(generic(format!("write {writer_partial}: {e}")));
                            break;
                        }
                    }
                }
                let _ = done.send(result);
            }
            match failed {
                Some(e) => Err(generic(e)),
                None => file
                    .shutdown()
                    .await
                    .map_err(|e| generic(format!("close {writer_partial}: {e}"))),
            }
        });
        Ok(Box::new(SftpUpload {
            conn,
            tx: Some(tx),
            writer: Some(writer),
            partial,
            full,
        }))
    }

    async fn get_opts(
        &self,
        location: &ObjectPath,
        options: GetOptions,
    ) -> object_store::Result<GetResult> {
        if options.range.is_some() {
            return Err(object_store::Error::NotImplemented {
                operation: "ranged reads over SFTP".into(),
                implementer: STORE.into(),
            });
        }
        let conn = self.connect().await?;
        let meta = self.meta_of(&conn.sftp, location).await?;
        let full = self.full(location);
        let range = 0..meta.size;
        let payload = if options.head {
            GetResultPayload::Stream(stream::empty().boxed())
        } else {
            let file = conn
                .sftp
                .open(full.clone())
                .await
                .map_err(|e| map_sftp(&full, e))?;
            let keep = conn.clone();
            let chunks = stream::unfold(
                (file, keep, false),
                move |(mut file, keep, done)| async move {
                    if done {
                        return None;
                    }
                    let mut buf = vec![0u8; 256 * 1024];
                    match file.read(&mut buf).await {
                        Ok(0) => None,
                        Ok(n) => {
                            buf.truncate(n);
                            Some((Ok(Bytes::from(buf)), (file, keep, false)))
                        }
                        Err(e) => Some((Err(generic(format!("read: {e}"))), (file, keep, true))),
                    }
                },
            );
            GetResultPayload::Stream(chunks.boxed())
        };
        Ok(GetResult {
            payload,
            meta,
            range,
            attributes: Default::default(),
            extensions: Default::default(),
        })
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<ObjectPath>>,
    ) -> BoxStream<'static, object_store::Result<ObjectPath>> {
        let shared = Arc::new(self.share());
        locations
            .then(move |location| {
                let store = shared.clone();
                async move {
                    let location = location?;
                    let conn = store.connect().await?;
                    let full = store.full(&location);
                    conn.sftp
                        .remove_file(full.clone())
                        .await
                        .map_err(|e| map_sftp(&full, e))?;
                    Ok(location)
                }
            })
            .boxed()
    }

    fn list(
        &self,
        prefix: Option<&ObjectPath>,
    ) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        let store = self.share();
        let prefix = prefix.cloned();
        stream::once(async move { store.walk(prefix, true).await })
            .map(|listed| match listed {
                Ok(l) => stream::iter(l.objects.into_iter().map(Ok)).boxed(),
                Err(e) => stream::iter(vec![Err(e)]).boxed(),
            })
            .flatten()
            .boxed()
    }

    async fn list_with_delimiter(
        &self,
        prefix: Option<&ObjectPath>,
    ) -> object_store::Result<ListResult> {
        self.walk(prefix.cloned(), false).await
    }

    async fn copy_opts(
        &self,
        _from: &ObjectPath,
        _to: &ObjectPath,
        _options: CopyOptions,
    ) -> object_store::Result<()> {
        Err(object_store::Error::NotImplemented {
            operation: "copy over SFTP".into(),
            implementer: STORE.into(),
        })
    }
}
