//! The demo's company (data and logo) and documents attached to its first contracts, stored in
//! the document store like any upload.

use bytes::Bytes;
use uuid::Uuid;

use arriendo_events::{
    AttachmentSubject, CompanyData, ContratoCommand, Email, EmpresaCommand, Nit,
};

use super::{DemoError, Loader};
use crate::documents::Upload;

/// A small PNG mark for the demo company.
const LOGO: &[u8] = include_bytes!("logo.png");

/// A one-page PDF that reads `lines` (Helvetica, no compression): enough for a browser to open.
pub fn demo_pdf(lines: &[&str]) -> Vec<u8> {
    let escape = |s: &str| {
        s.chars()
            .filter(char::is_ascii)
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect::<String>()
    };
    let mut text = String::from("BT /F1 14 Tf 72 770 Td 18 TL\n");
    for line in lines {
        text.push_str(&format!("({}) '\n", escape(line)));
    }
    text.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

async fn store(loader: &Loader<'_>, bytes: Vec<u8>, step: &str) -> Result<Upload, DemoError> {
    let upload = Upload::new(Bytes::from(bytes));
    loader
        .app
        .documents
        .put(&upload)
        .await
        .map_err(|e| DemoError::Store {
            step: step.to_string(),
            reason: e.to_string(),
        })?;
    Ok(upload)
}

fn file_of(
    upload: &Upload,
    name: &str,
    step: &str,
) -> Result<arriendo_events::StoredFile, DemoError> {
    upload.stored_file(name).ok_or_else(|| DemoError::Store {
        step: step.to_string(),
        reason: "the demo file is not a kept type".into(),
    })
}

async fn empresa(
    loader: &Loader<'_>,
    step: &str,
    command: EmpresaCommand,
) -> Result<(), DemoError> {
    let result = loader
        .app
        .commands
        .empresa(command, crate::store::Metadata::system("demo"))
        .await;
    Loader::check(step.to_string(), result)
}

/// The company's data, a logo replaced once (so the history shows a removal too).
pub(super) async fn company(loader: &Loader<'_>) -> Result<(), DemoError> {
    let base = "900500600";
    let nit = Nit::parse(&format!("{base}-{}", arriendo_events::check_digit_of(base)))?;
    let data = CompanyData {
        name: "Centro Comercial Andino S.A.S.".into(),
        nit,
        legal_representative: "Laura Restrepo Ángel".into(),
        address: "Carrera 11 # 82-71, Bogotá D.C.".into(),
        phone: "601 555 0101".into(),
        email: Some(Email::parse("administracion@ccandino.com.co")?),
    };
    let actor = loader.admin.clone();
    empresa(
        loader,
        "company data",
        EmpresaCommand::RecordCompanyData {
            actor: actor.clone(),
            data,
            expected_version: 0,
        },
    )
    .await?;
    let logo = store(loader, LOGO.to_vec(), "company logo").await?;
    let logo = file_of(&logo, "logo-andino.png", "company logo")?;
    for command in [
        EmpresaCommand::SetCompanyLogo {
            actor: actor.clone(),
            logo: logo.clone(),
        },
        EmpresaCommand::RemoveCompanyLogo {
            actor: actor.clone(),
        },
        EmpresaCommand::SetCompanyLogo { actor, logo },
    ] {
        empresa(loader, "company logo", command).await?;
    }
    Ok(())
}

/// The signed contract of contract `number`, and a scan attached by mistake and withdrawn.
pub(super) async fn documents(
    loader: &Loader<'_>,
    id: Uuid,
    number: &str,
) -> Result<(), DemoError> {
    let signed = store(
        loader,
        demo_pdf(&[
            &format!("Contrato de arrendamiento {number}"),
            "Centro Comercial Andino S.A.S.",
            "Documento de demostracion firmado por las partes.",
        ]),
        "signed contract",
    )
    .await?;
    let wrong = store(
        loader,
        demo_pdf(&["Borrador sin firmas", number]),
        "draft contract",
    )
    .await?;
    let actor = loader.admin.clone();
    let wrong_id = loader.id();
    let commands = [
        ContratoCommand::AttachDocument {
            actor: actor.clone(),
            id: loader.id(),
            subject: AttachmentSubject::Contrato,
            file: file_of(&signed, &format!("{number} firmado.pdf"), "signed contract")?,
            description: "Contrato firmado".into(),
        },
        ContratoCommand::AttachDocument {
            actor: actor.clone(),
            id: wrong_id,
            subject: AttachmentSubject::Contrato,
            file: file_of(&wrong, "borrador.pdf", "draft contract")?,
            description: "Borrador".into(),
        },
        ContratoCommand::RemoveDocument {
            actor,
            id: wrong_id,
            reason: "Era el borrador sin firmas".into(),
        },
    ];
    for command in commands {
        loader.contrato(id, "document", command).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arriendo_events::MediaType;

    #[test]
    fn the_demo_files_are_what_they_claim() {
        let pdf = demo_pdf(&["Contrato (1)"]);
        assert_eq!(MediaType::sniff(&pdf), Some(MediaType::Pdf));
        let text = String::from_utf8(pdf).unwrap();
        assert!(text.contains("(Contrato \\(1\\)) '"));
        assert!(text.ends_with("%%EOF\n"));
        assert_eq!(MediaType::sniff(LOGO), Some(MediaType::Png));
    }
}
