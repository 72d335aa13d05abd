//! Multipart uploads over SFTP: parts are written in order by one task into the hidden partial file,
//! which is renamed over the final name once complete.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use object_store::{MultipartUpload, PutPayload, PutResult, UploadPart};
use tokio::sync::{mpsc, oneshot};

use super::{Connection, SftpStore, generic};

/// Dropped unfinished (its deadline passed), the writer stops: nothing keeps writing in the background.
impl Drop for SftpUpload {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            writer.abort();
        }
    }
}

/// Parts handed to the writer task, each with where to report how its write went.
pub(super) type Parts =
    mpsc::UnboundedSender<(PutPayload, oneshot::Sender<object_store::Result<()>>)>;

pub(super) struct SftpUpload {
    pub(super) conn: Arc<Connection>,
    pub(super) tx: Option<Parts>,
    pub(super) writer: Option<tokio::task::JoinHandle<object_store::Result<()>>>,
    pub(super) partial: String,
    pub(super) full: String,
}

impl fmt::Debug for SftpUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SftpUpload({})", self.full)
    }
}

#[async_trait]
impl MultipartUpload for SftpUpload {
    fn put_part(&mut self, data: PutPayload) -> UploadPart {
        let (done_tx, done_rx) = oneshot::channel();
        let sent = self
            .tx
            .as_ref()
            .map(|tx| tx.send((data, done_tx)).is_ok())
            .unwrap_or(false);
        Box::pin(async move {
            if !sent {
                return Err(generic("the upload is already finished"));
            }
            done_rx
                .await
                .map_err(|_| generic("the SFTP writer stopped"))?
        })
    }

    async fn complete(&mut self) -> object_store::Result<PutResult> {
        self.tx.take();
        let writer = self
            .writer
            .take()
            .ok_or_else(|| generic("the upload is already finished"))?;
        writer.await.map_err(|e| generic(e.to_string()))??;
        SftpStore::publish(&self.conn.sftp, &self.partial, &self.full).await?;
        Ok(PutResult {
            e_tag: None,
            version: None,
            extensions: Default::default(),
        })
    }

    async fn abort(&mut self) -> object_store::Result<()> {
        self.tx.take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.await;
        }
        let _ = self.conn.sftp.remove_file(self.partial.clone()).await;
        Ok(())
    }
}
