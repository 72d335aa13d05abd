//! Remote targets: every destination is an `ObjectStore`, so uploads, listings, downloads and
//! retention go through one code path. Uploads stream from the file; the manifest goes last.

use std::path::Path;
use std::sync::Arc;

use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use tokio::io::AsyncReadExt;

use super::error::{BackupError, Result};
use super::manifest::Manifest;
use super::naming;
use super::settings::TargetConfig;

#[derive(Clone, Debug)]
pub struct Target {
    pub name: String,
    pub store: Arc<dyn ObjectStore>,
    pub prefix: ObjectPath,
    /// Where it is, for people (no credential).
    pub location: String,
}

fn remote_err(target: &str, e: impl std::fmt::Display) -> BackupError {
    BackupError::Remote {
        target: target.to_string(),
        message: e.to_string(),
    }
}

impl Target {
    pub async fn open(config: &TargetConfig) -> Result<Self> {
        let name = config.name().to_string();
        let err = |e: object_store::Error| remote_err(&name, e);
        Ok(match config {
            TargetConfig::LocalCopy { path, .. } => {
                std::fs::create_dir_all(path)
                    .map_err(|e| BackupError::io(format!("cannot create {}", path.display()), e))?;
                let store =
                    object_store::local::LocalFileSystem::new_with_prefix(path).map_err(err)?;
                Target {
                    name: name.clone(),
                    store: Arc::new(store),
                    prefix: ObjectPath::default(),
                    location: path.display().to_string(),
                }
            }
            TargetConfig::S3 {
                bucket,
                access_key,
                secret_key,
                region,
                endpoint,
                prefix,
            } => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region);
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
                Target {
                    name: name.clone(),
                    store: Arc::new(builder.build().map_err(err)?),
                    prefix: ObjectPath::from(prefix.as_str()),
                    location: format!("s3://{bucket}/{prefix}"),
                }
            }
            TargetConfig::Gcs {
                bucket,
                service_account_path,
                prefix,
            } => {
                let mut builder =
                    object_store::gcp::GoogleCloudStorageBuilder::new().with_bucket_name(bucket);
                if let Some(p) = service_account_path {
                    builder = builder.with_service_account_path(p.display().to_string());
                }
                Target {
                    name: name.clone(),
                    store: Arc::new(builder.build().map_err(err)?),
                    prefix: ObjectPath::from(prefix.as_str()),
                    location: format!("gs://{bucket}/{prefix}"),
                }
            }
            TargetConfig::Azure {
                account,
                container,
                access_key,
                prefix,
            } => {
                let mut builder = object_store::azure::MicrosoftAzureBuilder::new()
                    .with_account(account)
                    .with_container_name(container);
                if let Some(k) = access_key {
                    builder = builder.with_access_key(k.expose());
                }
                Target {
                    name: name.clone(),
                    store: Arc::new(builder.build().map_err(err)?),
                    prefix: ObjectPath::from(prefix.as_str()),
                    location: format!("azure://{account}/{container}/{prefix}"),
                }
            }
            TargetConfig::Sftp(sftp) => Target {
                name: name.clone(),
                store: Arc::new(super::sftp::SftpStore::new(sftp.clone())),
                prefix: ObjectPath::default(),
                location: format!(
                    "sftp://{}@{}:{}{}",
                    sftp.user, sftp.host, sftp.port, sftp.path
                ),
            },
        })
    }

    pub fn path_of(&self, file_name: &str) -> ObjectPath {
        self.prefix.clone().join(file_name)
    }

    /// Streams a local file to `file_name` on the target.
    pub async fn upload(&self, local: &Path, file_name: &str) -> Result<()> {
        let location = self.path_of(file_name);
        let upload = self
            .store
            .put_multipart(&location)
            .await
            .map_err(|e| remote_err(&self.name, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, 8 * 1024 * 1024);
        let mut file = tokio::fs::File::open(local)
            .await
            .map_err(|e| BackupError::io(format!("cannot open {}", local.display()), e))?;
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = file
                .read(&mut buf)
                .await
                .map_err(|e| BackupError::io(format!("cannot read {}", local.display()), e))?;
            if n == 0 {
                break;
            }
            writer
                .wait_for_capacity(4)
                .await
                .map_err(|e| remote_err(&self.name, e))?;
            writer.write(&buf[..n]);
        }
        writer
            .finish()
            .await
            .map_err(|e| remote_err(&self.name, e))?;
        Ok(())
    }

    /// Streams `file_name` from the target into a local file (under a temporary name, then renamed).
    pub async fn download(&self, file_name: &str, local: &Path) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        let result = self
            .store
            .get(&self.path_of(file_name))
            .await
            .map_err(|e| remote_err(&self.name, e))?;
        let partial = local.with_file_name(naming::partial_name(file_name));
        let mut out = tokio::fs::File::create(&partial)
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
        tokio::fs::rename(&partial, local)
            .await
            .map_err(|e| BackupError::io("cannot rename download", e))?;
        Ok(())
    }

    /// Every complete set on the target (its manifest), newest first.
    pub async fn manifests(&self) -> Result<Vec<Manifest>> {
        let listed = self.store.list_with_delimiter(Some(&self.prefix)).await;
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
            let bytes = self
                .store
                .get(&object.location)
                .await
                .map_err(|e| remote_err(&self.name, e))?
                .bytes()
                .await
                .map_err(|e| remote_err(&self.name, e))?;
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
        let manifest_path = self.path_of(&naming::manifest_name(&manifest.name));
        self.store
            .delete(&manifest_path)
            .await
            .map_err(|e| remote_err(&self.name, e))?;
        for file in &manifest.files {
            match self.store.delete(&self.path_of(&file.name)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(remote_err(&self.name, e)),
            }
        }
        Ok(())
    }
}
