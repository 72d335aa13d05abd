//! Uploads (`multipart/form-data`): the text fields and one file, read within the route's limit.
//! The CSRF check has already bounded and checked the body (see `entrada::body_limit`); this reads
//! its parts, refusing a NUL in a text field, a second file, or a malformed body.

use axum::body::Body;
use axum::http::{HeaderMap, header};
use bytes::Bytes;

/// A read upload: its text fields in order, and the file (the name it was sent with, its bytes).
#[derive(Debug, Default)]
pub struct Uploaded {
    pub fields: Vec<(String, String)>,
    pub file: Option<(String, Bytes)>,
}

impl Uploaded {
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Why an upload was not read; the message is for people.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadRefusal {
    #[error(
        "El formulario no se envió como carga de archivo. Recargue la página y vuelva a intentarlo."
    )]
    NotMultipart,
    #[error("El envío llegó incompleto o dañado. Vuelva a intentarlo.")]
    Malformed,
    #[error("El archivo supera el tamaño permitido.")]
    TooLarge,
    #[error("Adjunte un solo archivo por envío.")]
    SeveralFiles,
    #[error("Un campo del formulario contiene caracteres no permitidos.")]
    BadText,
}

/// Reads every part; the part named `file_field` is the file, every other one is text.
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    file_field: &str,
    limit: usize,
) -> Result<Uploaded, UploadRefusal> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or(UploadRefusal::NotMultipart)?;
    let boundary = multer::parse_boundary(content_type).map_err(|_| UploadRefusal::NotMultipart)?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    let mut multipart =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut uploaded = Uploaded::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(multer::Error::StreamSizeExceeded { .. }) => return Err(UploadRefusal::TooLarge),
            Err(_) => return Err(UploadRefusal::Malformed),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            if uploaded.file.is_some() {
                return Err(UploadRefusal::SeveralFiles);
            }
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|e| match e {
                multer::Error::StreamSizeExceeded { .. } => UploadRefusal::TooLarge,
                _ => UploadRefusal::Malformed,
            })?;
            uploaded.file = Some((file_name, bytes));
        } else {
            let text = field.text().await.map_err(|_| UploadRefusal::Malformed)?;
            if text.contains('\0') {
                return Err(UploadRefusal::BadText);
            }
            uploaded.fields.push((name, text));
        }
    }
    Ok(uploaded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=X"),
        );
        h
    }

    fn part(name: &str, file: Option<&str>, value: &str) -> String {
        let file = file.map_or(String::new(), |f| format!("; filename=\"{f}\""));
        format!("--X\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{value}\r\n")
    }

    #[tokio::test]
    async fn fields_and_one_file_are_read() {
        let body = format!(
            "{}{}--X--\r\n",
            part("descripcion", None, "Contrato firmado"),
            part("archivo", Some("c.pdf"), "%PDF-1.7 x")
        );
        let up = read(&headers(), Body::from(body), "archivo", 1024)
            .await
            .unwrap();
        assert_eq!(up.get("descripcion"), "Contrato firmado");
        let (name, bytes) = up.file.unwrap();
        assert_eq!((name.as_str(), &bytes[..]), ("c.pdf", &b"%PDF-1.7 x"[..]));
    }

    #[tokio::test]
    async fn two_files_a_nul_or_too_much_are_refused() {
        let two = format!(
            "{}{}--X--\r\n",
            part("archivo", Some("a.pdf"), "%PDF-a"),
            part("archivo", Some("b.pdf"), "%PDF-b")
        );
        assert_eq!(
            read(&headers(), Body::from(two), "archivo", 1024)
                .await
                .unwrap_err(),
            UploadRefusal::SeveralFiles
        );
        let nul = format!("{}--X--\r\n", part("descripcion", None, "a\0b"));
        assert_eq!(
            read(&headers(), Body::from(nul), "archivo", 1024)
                .await
                .unwrap_err(),
            UploadRefusal::BadText
        );
        let big = format!(
            "{}--X--\r\n",
            part("archivo", Some("a.pdf"), &"x".repeat(4096))
        );
        assert_eq!(
            read(&headers(), Body::from(big), "archivo", 1024)
                .await
                .unwrap_err(),
            UploadRefusal::TooLarge
        );
        assert_eq!(
            read(&HeaderMap::new(), Body::from("x"), "archivo", 1024)
                .await
                .unwrap_err(),
            UploadRefusal::NotMultipart
        );
    }
}
