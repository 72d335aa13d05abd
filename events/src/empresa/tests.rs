use super::*;
use crate::{Actor, DomainError, Email, MAX_LOGO_BYTES, MediaType, Nit, Role, StoredFile};

fn admin() -> Actor {
    Actor::new("admin", Role::Administrador)
}

fn data() -> CompanyData {
    CompanyData {
        name: "Centro Comercial Andino S.A.S.".into(),
        nit: Nit::parse("900123456-8").unwrap(),
        legal_representative: "Ana Gómez".into(),
        address: "Cra 11 # 82-71, Bogotá".into(),
        phone: "601 555 0101".into(),
        email: Some(Email::parse("gerencia@andino.co").unwrap()),
    }
}

fn logo(media_type: MediaType, size_bytes: u64) -> StoredFile {
    StoredFile {
        sha256: "b".repeat(64),
        size_bytes,
        media_type,
        file_name: "logo.png".into(),
    }
}

fn replay(events: Vec<EmpresaEvent>) -> Empresa {
    let mut e = Empresa::default();
    events.into_iter().for_each(|ev| e.apply_event(ev));
    e
}

#[test]
fn only_an_administrador_records_the_company() {
    let command = |role| EmpresaCommand::RecordCompanyData {
        actor: Actor::new("x", role),
        data: data(),
        expected_version: 0,
    };
    assert!(
        Empresa::default()
            .decide(command(Role::Administrador))
            .is_ok()
    );
    assert!(matches!(
        Empresa::default().decide(command(Role::Gestor)),
        Err(DomainError::AdminOnly(_))
    ));
    assert_eq!(
        Empresa::default().decide(command(Role::Auditor)),
        Err(DomainError::AuditorReadOnly)
    );
}

#[test]
fn an_edit_from_a_stale_form_is_refused_and_an_unchanged_one_records_nothing() {
    let recorded = Empresa::default()
        .decide(EmpresaCommand::RecordCompanyData {
            actor: admin(),
            data: data(),
            expected_version: 0,
        })
        .unwrap();
    let state = replay(recorded);
    let again = |expected_version| EmpresaCommand::RecordCompanyData {
        actor: admin(),
        data: data(),
        expected_version,
    };
    assert_eq!(state.decide(again(1)), Ok(vec![]));
    assert_eq!(state.decide(again(0)), Err(DomainError::EmpresaChanged));
}

#[test]
fn the_logo_is_a_small_image() {
    let set = |file| EmpresaCommand::SetCompanyLogo {
        actor: admin(),
        logo: file,
    };
    let state = Empresa::default();
    assert!(state.decide(set(logo(MediaType::Png, 20_000))).is_ok());
    assert_eq!(
        state.decide(set(logo(MediaType::Pdf, 20_000))),
        Err(DomainError::LogoNotImage)
    );
    assert_eq!(
        state.decide(set(logo(MediaType::Jpeg, MAX_LOGO_BYTES + 1))),
        Err(DomainError::FileTooLarge {
            max_bytes: MAX_LOGO_BYTES
        })
    );
    assert_eq!(
        state.decide(EmpresaCommand::RemoveCompanyLogo { actor: admin() }),
        Err(DomainError::NoLogo)
    );
}

#[test]
fn the_company_name_is_required_and_on_one_line() {
    let mut no_name = data();
    no_name.name = "  ".into();
    let mut two_lines = data();
    two_lines.address = "a\u{0}b".into();
    for (bad, expected) in [
        (no_name, DomainError::Required("nombre de la empresa")),
        (
            two_lines,
            DomainError::ControlCharacter {
                field: "dirección"
            },
        ),
    ] {
        let refused = Empresa::default().decide(EmpresaCommand::RecordCompanyData {
            actor: admin(),
            data: bad,
            expected_version: 0,
        });
        assert_eq!(refused, Err(expected));
    }
}
