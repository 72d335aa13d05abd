//! Remote targets: every destination is an `ObjectStore`, so uploads, listings, downloads and
//! retention go through one code path. Uploads stream from the file; the manifest goes last.
//! Every call to the store runs under a deadline (see [`super::deadline`]).

use std::path::Path;
use std::sync::Arc;

use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};
use tokio::io::AsyncReadExt;

use super::deadline::{RemoteTimeouts, within};
use super::error::{BackupError, Result};
use super::manifest::Manifest;
use super::naming;
use super::settings::TargetConfig;

#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub store: Arc<dyn ObjectStore>,
    /// The same store for downloads: on cloud stores without a per-request time limit (see `open`).
    pub downloads: Arc<dyn ObjectStore>,
    pub prefix: ObjectPath,
    /// Where it is, for people (no credential).
    pub location: String,
    pub timeouts: RemoteTimeouts,
}

/// The size of each part of an upload.
const PART_SIZE: usize = 8 * 1024 * 1024;
/// How many parts of one upload travel at once.
const PARTS_IN_FLIGHT: usize = 4;

fn remote_err(target: &str, e: impl std::fmt::Display) -> BackupError {
    BackupError::Remote {
        target: target.to_string(),
        message: e.to_string(),
    }
}

/// The store of a cloud target (S3, GCS, Azure) with these HTTP client options; `None` for others.
fn cloud_store(
    config: &TargetConfig,
    client: ClientOptions,
    retry: RetryConfig,
) -> object_store::Result<Option<Arc<dyn ObjectStore>>> {
    Ok(Some(match config {
        TargetConfig::S3 {
            bucket,
            access_key,
            secret_key,
            region,
            endpoint,
            ..
        } => {
            let mut builder = object_store::aws::AmazonS3Builder::new()
                .with_bucket_name(bucket)
                .with_region(region)
                .with_client_options(client)
                .with_retry(retry);
            if let (Some(a), Some(s)) = (access_key, secret_key) {
                builder = builder
                    .with_access_key_id(a.expose())
                    .with_secret_access_key(s.expose());
            }
            if let Some(endpoint) = endpoint {
                builder = builder
                    .with_endpoint(endpoint)
                    .with_allow_http(endpoint.starts_with("http://"))
                    .with_virtual_hosted_style_request(false);
            }
            Arc::new(builder.build()?)
        }
        TargetConfig::Gcs {
            bucket,
            service_account_path,
            ..
        } => {
            let mut builder = object_store::gcp::GoogleCloudStorageBuilder::new()
                .with_bucket_name(bucket)
                .with_client_options(client)
                .with_retry(retry);
            if let Some(p) = service_account_path {
                builder = builder.with_service_account_path(p.display().to_string());
            }
            Arc::new(builder.build()?)
        }
        TargetConfig::Azure {
            account,
            container,
            access_key,
            ..
        } => {
            let mut builder = object_store::azure::MicrosoftAzureBuilder::new()
                .with_account(account)
                .with_container_name(container)
                .with_client_options(client)
                .with_retry(retry);
            if let Some(k) = access_key {
                builder = builder.with_access_key(k.expose());
            }
            Arc::new(builder.build()?)
        }
        TargetConfig::LocalCopy { .. } | TargetConfig::Sftp(_) => return Ok(None),
    }))
}

/// The prefix inside the store and where the target is, for people (no credential).
pub fn describe(config: &TargetConfig) -> (ObjectPath, String) {
    match config {
        TargetConfig::LocalCopy { path, .. } => (ObjectPath::default(), path.display().to_string()),
        TargetConfig::S3 { bucket, prefix, .. } => (
            ObjectPath::from(prefix.as_str()),
            format!("s3://{bucket}/{prefix}"),
        ),
        TargetConfig::Gcs { bucket, prefix, .. } => (
            ObjectPath::from(prefix.as_str()),
            format!("gs://{bucket}/{prefix}"),
        ),
        TargetConfig::Azure {
            account,
            container,
            prefix,
            ..
        } => (
            ObjectPath::from(prefix.as_str()),
            format!("azure://{account}/{container}/{prefix}"),
        ),
        TargetConfig::Sftp(sftp) => (
            ObjectPath::default(),
            format!(
                "sftp://{}@{}:{}{}",
                sftp.user, sftp.host, sftp.port, sftp.path
            ),
        ),
    }
}

impl Target {
    /// A target of `config` whose operations keep to `timeouts`. Opening connects to nothing: the
    /// first operation does, under its deadline.
    pub async fn open(config: &TargetConfig, timeouts: RemoteTimeouts) -> Result<Self> {
        let name = config.name().to_string();
        let err = |e: object_store::Error| remote_err(&name, e);
        // object_store's own limits on cloud stores, so a hung one fails inside our deadline rather
        // than retrying for 3 minutes: two retries, none after the operation floor.
        let retry = RetryConfig {
            max_retries: 2,
            retry_timeout: timeouts.operation,
            ..Default::default()
        };
        let connect = ClientOptions::new().with_connect_timeout(timeouts.connect);
        // Every request (a listing, a delete, a part of an upload) ends within the floor plus the
        // time of one part at the minimum rate…
        let bounded = connect
            .clone()
            .with_timeout(timeouts.for_size(PART_SIZE as u64));
        // …but a download is one request streaming a whole file, which on a slow link may rightly
        // take longer: it has no per-request limit, and its size-proportional deadline bounds it.
        let unbounded = connect.with_timeout_disabled();
        let (prefix, location) = describe(config);
        let (store, downloads): (Arc<dyn ObjectStore>, Arc<dyn ObjectStore>) =
            match cloud_store(config, bounded, retry.clone()).map_err(err)? {
                Some(store) => {
                    let downloads = cloud_store(config, unbounded, retry)
                        .map_err(err)?
                        .unwrap_or_else(|| store.clone());
                    (store, downloads)
                }
                None => {
                    let store: Arc<dyn ObjectStore> = match config {
                        TargetConfig::LocalCopy { path, .. } => {
                            std::fs::create_dir_all(path).map_err(|e| {
                                BackupError::io(format!("cannot create {}", path.display()), e)
                            })?;
                            Arc::new(
                                object_store::local::LocalFileSystem::new_with_prefix(path)
                                    .map_err(err)?,
                            )
                        }
                        TargetConfig::Sftp(sftp) => {
                            Arc::new(super::sftp::SftpStore::new(sftp.clone(), timeouts))
                        }
                        _ => {
                            return Err(BackupError::Failed(format!(
                                "target {name}: no store could be built"
                            )));
                        }
                    };
                    (store.clone(), store)
                }
            };
        Ok(Target {
            name,
            store,
            downloads,
            prefix,
            location,
            timeouts,
        })
    }

    pub fn path_of(&self, file_name: &str) -> ObjectPath {
        self.prefix.clone().join(file_name)
    }

    /// Streams a local file to `file_name` on the target, within the deadline of its size. An
    /// upload that fails or runs out of time is aborted on the target (within the operation
    /// deadline): an interrupted S3 multipart upload otherwise stays in the bucket, invisible in
    /// listings and billed, until a lifecycle rule removes it.
    pub async fn upload(&self, local: &Path, file_name: &str) -> Result<()> {
        let size = tokio::fs::metadata(local)
            .await
            .map_err(|e| BackupError::io(format!("cannot read {}", local.display()), e))?
            .len();
        let location = self.path_of(file_name);
        let mut upload = within(
            &self.name,
            || format!("start of the upload of {file_name}"),
            self.timeouts.operation,
            async {
                self.store
                    .put_multipart(&location)
                    .await
                    .map_err(|e| remote_err(&self.name, e))
            },
        )
        .await?;
        let sent = within(
            &self.name,
            || format!("upload of {file_name}"),
            self.timeouts.for_size(size),
            self.send_parts(local, &mut upload),
        )
        .await;
        if let Err(e) = &sent {
            let aborted = within(
                &self.name,
                || format!("abort of the upload of {file_name}"),
                self.timeouts.operation,
                async { upload.abort().await.map_err(|e| remote_err(&self.name, e)) },
            )
            .await;
            match aborted {
                Ok(()) => tracing::warn!(target_name = %self.name, file = file_name, error = %e,
                    "the interrupted upload was aborted on the target"),
                Err(abort) => {
                    tracing::error!(target_name = %self.name, file = file_name, error = %abort,
                    "the interrupted upload could not be aborted: its parts may remain on the target")
                }
            }
        }
        sent
    }

    /// Sends the file in parts of [`PART_SIZE`], at most [`PARTS_IN_FLIGHT`] at a time, then
    /// completes the upload. The upload stays the caller's, to abort when this fails or is cut.
    async fn send_parts(
        &self,
        local: &Path,
        upload: &mut Box<dyn object_store::MultipartUpload>,
    ) -> Result<()> {
        let mut file = tokio::fs::File::open(local)
            .await
            .map_err(|e| BackupError::io(format!("cannot open {}", local.display()), e))?;
        // Each part uploads in its own task while the next one is read; dropped (the deadline cut
        // this future), the set cancels them.
        let mut in_flight = tokio::task::JoinSet::new();
        loop {
            let mut part = Vec::with_capacity(PART_SIZE);
            while part.len() < PART_SIZE {
                let read = (&mut file)
                    .take((PART_SIZE - part.len()) as u64)
                    .read_to_end(&mut part)
                    .await
                    .map_err(|e| BackupError::io(format!("cannot read {}", local.display()), e))?;
                if read == 0 {
                    break;
                }
            }
            let last = part.len() < PART_SIZE;
            if !part.is_empty() {
                in_flight.spawn(upload.put_part(object_store::PutPayload::from(part)));
            }
            while in_flight.len() >= PARTS_IN_FLIGHT || (last && !in_flight.is_empty()) {
                if let Some(done) = in_flight.join_next().await {
                    done.map_err(|e| remote_err(&self.name, e))?
                        .map_err(|e| remote_err(&self.name, e))?;
                }
            }
            if last {
                break;
            }
        }
        upload
            .complete()
            .await
            .map_err(|e| remote_err(&self.name, e))?;
        Ok(())
    }

    /// Streams `file_name` (`size` bytes, as its manifest says) from the target into a local file
    /// (under a temporary name, then renamed), within the deadline of its size.
    pub async fn download(&self, file_name: &str, size: u64, local: &Path) -> Result<()> {
        let partial = local.with_file_name(naming::partial_name(file_name));
        let result = within(
            &self.name,
            || format!("download of {file_name}"),
            self.timeouts.for_size(size),
            self.download_unbounded(file_name, &partial, local),
        )
        .await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
        }
        result
    }

    async fn download_unbounded(
        &self,
        file_name: &str,
        partial: &Path,
        local: &Path,
    ) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        let result = self
            .downloads
            .get(&self.path_of(file_name))
            .await
            .map_err(|e| remote_err(&self.name, e))?;
        let mut out = tokio::fs::File::create(partial)
            .await
            .map_err(|e| BackupError::io(format!("cannot create {}", partial.display()), e))?;
        let mut stream = result.into_stream();
        while let Some(chunk) = stream
            .try_next()
            .await
            .map_err(|e| remote_err(&self.name, e))?
        {
            out.write_all(&chunk)
                .await
                .map_err(|e| BackupError::io("cannot write download", e))?;
        }
        out.sync_all()
            .await
            .map_err(|e| BackupError::io("cannot sync download", e))?;
        tokio::fs::rename(partial, local)
            .await
            .map_err(|e| BackupError::io("cannot rename download", e))?;
        Ok(())
    }

    /// Every complete set on the target (its manifest), newest first.
    pub async fn manifests(&self) -> Result<Vec<Manifest>> {
        let limit = self.timeouts.operation;
        let listed = within(&self.name, || "listing".into(), limit, async {
            Ok(self.store.list_with_delimiter(Some(&self.prefix)).await)
        })
        .await?;
        let listed = match listed {
            Ok(l) => l.objects,
            Err(object_store::Error::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(remote_err(&self.name, e)),
        };
        let mut manifests = Vec::new();
        for object in listed {
            let Some(file_name) = object.location.filename() else {
                continue;
            };
            if naming::set_of_manifest(file_name).is_none() {
                continue;
            }
            let bytes = within(
                &self.name,
                || format!("reading {file_name}"),
                limit,
                async {
                    self.store
                        .get(&object.location)
                        .await
                        .map_err(|e| remote_err(&self.name, e))?
                        .bytes()
                        .await
                        .map_err(|e| remote_err(&self.name, e))
                },
            )
            .await?;
            match Manifest::parse(&bytes) {
                Ok(m) => manifests.push(m),
                Err(e) => {
                    tracing::warn!(target_name = %self.name, file = file_name, error = %e, "skipping unreadable remote manifest")
                }
            }
        }
        manifests.sort_by(|a, b| b.name.cmp(&a.name));
        Ok(manifests)
    }

    /// Deletes a set: the manifest first, so a half-deleted set never looks complete.
    pub async fn delete_set(&self, manifest: &Manifest) -> Result<()> {
        let manifest_name = naming::manifest_name(&manifest.name);
        self.delete(&manifest_name, false).await?;
        for file in &manifest.files {
            self.delete(&file.name, true).await?;
        }
        Ok(())
    }

    /// Deletes one file within the operation deadline.
    async fn delete(&self, file_name: &str, missing_ok: bool) -> Result<()> {
        let location = self.path_of(file_name);
        within(
            &self.name,
            || format!("deleting {file_name}"),
            self.timeouts.operation,
            async {
                match self.store.delete(&location).await {
                    Ok(()) => Ok(()),
                    Err(object_store::Error::NotFound { .. }) if missing_ok => Ok(()),
                    Err(e) => Err(remote_err(&self.name, e)),
                }
            },
        )
        .await
    }
}
