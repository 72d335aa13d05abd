//! Documents: the signed contract, an Otro Sí's paper, a póliza's certificate.

use uuid::Uuid;

use super::*;
use crate::{MAX_DOCUMENT_BYTES, MediaType, StoredFile};

fn pdf(digest: char) -> StoredFile {
    StoredFile {
        sha256: digest.to_string().repeat(64),
        size_bytes: 245_000,
        media_type: MediaType::Pdf,
        file_name: "contrato firmado.pdf".into(),
    }
}

fn attach(id: u128, subject: AttachmentSubject, file: StoredFile) -> ContratoCommand {
    ContratoCommand::AttachDocument {
        actor: gestor(),
        id: Uuid::from_u128(id),
        subject,
        file,
        description: "Contrato firmado".into(),
    }
}

fn remove(id: u128, reason: &str) -> ContratoCommand {
    ContratoCommand::RemoveDocument {
        actor: gestor(),
        id: Uuid::from_u128(id),
        reason: reason.into(),
    }
}

#[test]
fn a_signed_contract_is_attached_and_withdrawn_with_a_reason() {
    let story = Story::of(hybrid_terms()).ok(attach(1, AttachmentSubject::Contrato, pdf('a')));
    assert_eq!(story.state.documents.len(), 1);
    assert_eq!(
        story.refused(remove(1, " ")),
        "el campo «motivo» es obligatorio"
    );
    let story = story.ok(remove(1, "Se escaneó la versión sin firmas"));
    assert!(story.state.documents[0].removed.is_some());
    assert_eq!(
        story.refused(remove(1, "otra vez")),
        "el documento ya fue retirado"
    );
    assert_eq!(
        story.refused(remove(9, "no existe")),
        "el documento no existe en este contrato"
    );
}

#[test]
fn the_same_file_twice_on_the_same_paper_is_refused_but_after_withdrawal_it_can_return() {
    let story = Story::of(hybrid_terms()).ok(attach(1, AttachmentSubject::Contrato, pdf('a')));
    assert_eq!(
        story.refused(attach(2, AttachmentSubject::Contrato, pdf('a'))),
        "el documento ya está adjunto a este contrato"
    );
    assert_eq!(
        story.refused(attach(1, AttachmentSubject::Contrato, pdf('b'))),
        "el documento ya está adjunto a este contrato"
    );
    let story = story.ok(remove(1, "Versión equivocada"));
    story.ok(attach(2, AttachmentSubject::Contrato, pdf('a')));
}

#[test]
fn a_document_of_an_otro_si_or_poliza_needs_it_to_exist() {
    let story = Story::of(hybrid_terms());
    let otro_si = AttachmentSubject::OtroSi {
        number: OtroSiNumber(3),
    };
    assert_eq!(
        story.refused(attach(1, otro_si, pdf('a'))),
        "el Otro Sí OS-3 no existe"
    );
    let poliza = AttachmentSubject::Poliza {
        id: Uuid::from_u128(77),
    };
    assert_eq!(
        story.when(attach(1, poliza, pdf('a'))),
        Err(DomainError::PolizaNotFound)
    );
    let story = story.ok(draft(canon_change(6_000_000)));
    story.ok(attach(
        1,
        AttachmentSubject::OtroSi {
            number: OtroSiNumber(1),
        },
        pdf('a'),
    ));
}

#[test]
fn a_file_over_ten_megabytes_never_reaches_the_log() {
    let mut big = pdf('a');
    big.size_bytes = MAX_DOCUMENT_BYTES + 1;
    assert_eq!(
        Story::of(hybrid_terms()).refused(attach(1, AttachmentSubject::Contrato, big)),
        "el archivo supera el tamaño máximo de 10 MB"
    );
}

#[test]
fn an_auditor_attaches_nothing() {
    let command = ContratoCommand::AttachDocument {
        actor: Actor::new("aud", Role::Auditor),
        id: Uuid::from_u128(1),
        subject: AttachmentSubject::Contrato,
        file: pdf('a'),
        description: String::new(),
    };
    assert_eq!(
        Story::of(hybrid_terms()).when(command),
        Err(DomainError::AuditorReadOnly)
    );
}
