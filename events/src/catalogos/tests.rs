use uuid::Uuid;

use super::*;
use crate::testing::{given, refusal};
use crate::{Actor, ContractKind, Role};

fn admin() -> Actor {
    Actor::new("ana.admin", Role::Administrador)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn register(catalog: TypeCatalog, n: u128, name: &str) -> CatalogosEvent {
    CatalogosEvent::TypeRegistered {
        id: id(n),
        catalog,
        name: name.into(),
    }
}

fn clause(title: &str) -> ClauseData {
    ClauseData {
        title: title.into(),
        text: String::new(),
        category: "General".into(),
        order: 1,
        active: true,
    }
}

fn new_type(catalog: TypeCatalog, n: u128, name: &str) -> CatalogosCommand {
    CatalogosCommand::RegisterType {
        actor: admin(),
        id: id(n),
        catalog,
        name: name.into(),
    }
}

#[test]
fn names_are_unique_per_catalog_ignoring_case_accents_and_spaces() {
    let state = given::<Catalogos>([register(TypeCatalog::Servicio, 1, "Tecnología")]);
    assert_eq!(
        refusal(state.decide(new_type(TypeCatalog::Servicio, 2, "  TECNOLOGIA "))),
        "ya existe un tipo de servicio llamado «Tecnología»"
    );
    assert_eq!(
        refusal(state.decide(new_type(TypeCatalog::Servicio, 2, "tecnología"))),
        "ya existe un tipo de servicio llamado «Tecnología»"
    );
    // The other catalog is another namespace.
    assert_eq!(
        state.decide(new_type(TypeCatalog::Contrato, 2, " Tecnología ")),
        Ok(vec![register(TypeCatalog::Contrato, 2, "Tecnología")])
    );
    assert_eq!(name_key(" Año  Nuevo "), "año nuevo");
}

#[test]
fn a_type_is_renamed_and_deactivated_with_the_version_it_showed() {
    let state = given::<Catalogos>([
        register(TypeCatalog::Contrato, 1, "BODEGAS"),
        register(TypeCatalog::Contrato, 2, "ANTENAS"),
    ]);
    let update = |name: &str, active, expected_version| CatalogosCommand::UpdateType {
        actor: admin(),
        id: id(1),
        name: name.into(),
        active,
        expected_version,
    };
    assert_eq!(
        state.decide(update("Bodegas", false, 1)),
        Ok(vec![CatalogosEvent::TypeUpdated {
            id: id(1),
            name: "Bodegas".into(),
            active: false
        }])
    );
    // Editing ANTENAS (version 2) did not make BODEGAS's form stale, but a version of another
    // entry is refused.
    assert_eq!(
        refusal(state.decide(update("Bodegas", false, 2))),
        "«BODEGAS» cambió mientras lo editaba"
    );
    assert_eq!(
        refusal(state.decide(update("antenas", true, 1))),
        "ya existe un tipo de contrato llamado «ANTENAS»"
    );
    assert_eq!(state.decide(update("BODEGAS", true, 1)), Ok(vec![]));
    let mut after = state.clone();
    after.apply_event(CatalogosEvent::TypeUpdated {
        id: id(1),
        name: "Bodegas".into(),
        active: false,
    });
    assert_eq!(
        after.find_type(id(1)).map(|t| (t.active, t.version)),
        Some((false, 3))
    );
}

#[test]
fn only_administradores_change_the_catalogs_and_worst_inputs_are_refused() {
    let gestor = Actor::new("gus", Role::Gestor);
    assert_eq!(
        refusal(
            given::<Catalogos>([]).decide(CatalogosCommand::RegisterType {
                actor: gestor,
                id: id(1),
                catalog: TypeCatalog::Contrato,
                name: "X".into(),
            })
        ),
        "solo un administrador puede modificar los catálogos"
    );
    let empty = given::<Catalogos>([]);
    assert_eq!(
        refusal(empty.decide(new_type(TypeCatalog::Contrato, 1, &"B".repeat(5_000)))),
        "el campo «nombre» admite como máximo 200 caracteres"
    );
    assert_eq!(
        refusal(empty.decide(new_type(TypeCatalog::Contrato, 1, "BODE\u{0}GAS"))),
        "el campo «nombre» contiene caracteres de control no permitidos"
    );
    assert_eq!(
        refusal(empty.decide(new_type(TypeCatalog::Contrato, 1, "   "))),
        "el campo «nombre» es obligatorio"
    );
    let register_clause = |data| {
        empty.decide(CatalogosCommand::RegisterClause {
            actor: admin(),
            id: id(5),
            clause: data,
        })
    };
    assert_eq!(
        refusal(register_clause(ClauseData {
            text: "x".repeat(10_001),
            ..clause("Objeto")
        })),
        "el campo «texto» admite como máximo 10.000 caracteres"
    );
    assert_eq!(
        refusal(register_clause(ClauseData {
            order: 100_001,
            ..clause("Objeto")
        })),
        "el campo «orden» está fuera del rango permitido"
    );
}

#[test]
fn clause_titles_are_unique_and_scopes_name_a_type_of_the_right_catalog() {
    let state = given::<Catalogos>([
        register(TypeCatalog::Contrato, 1, "BODEGAS"),
        register(TypeCatalog::Servicio, 2, "Aseo"),
        CatalogosEvent::ClauseRegistered {
            id: id(10),
            clause: clause("Cláusula penal"),
        },
    ]);
    assert_eq!(
        refusal(state.decide(CatalogosCommand::RegisterClause {
            actor: admin(),
            id: id(11),
            clause: clause("CLAUSULA PENAL"),
        })),
        "ya existe una cláusula llamada «Cláusula penal»"
    );
    let set = |scope, mandatory| CatalogosCommand::SetMandatory {
        actor: admin(),
        clause_id: id(10),
        scope,
        mandatory,
    };
    assert_eq!(
        refusal(state.decide(set(ClauseScope::ContractType(id(2)), true))),
        "el tipo de contrato indicado no existe"
    );
    assert_eq!(
        refusal(state.decide(set(ClauseScope::ServiceType(id(99)), true))),
        "el tipo de servicio indicado no existe"
    );
    let added = CatalogosEvent::MandatoryClauseAdded {
        clause_id: id(10),
        scope: ClauseScope::ContractType(id(1)),
    };
    assert_eq!(
        state.decide(set(ClauseScope::ContractType(id(1)), true)),
        Ok(vec![added.clone()])
    );
    let mut with = state.clone();
    with.apply_event(added);
    assert_eq!(
        with.decide(set(ClauseScope::ContractType(id(1)), true)),
        Ok(vec![])
    );
    assert_eq!(
        with.decide(set(ClauseScope::ContractType(id(1)), false)),
        Ok(vec![CatalogosEvent::MandatoryClauseRemoved {
            clause_id: id(10),
            scope: ClauseScope::ContractType(id(1)),
        }])
    );
}

#[test]
fn a_contracts_mandatory_set_is_its_kinds_all_scope_plus_its_types_active_clauses() {
    let clause_n = |n: u128, title: &str, order, active| CatalogosEvent::ClauseRegistered {
        id: id(n),
        clause: ClauseData {
            order,
            active,
            ..clause(title)
        },
    };
    let mandatory = |n: u128, scope| CatalogosEvent::MandatoryClauseAdded {
        clause_id: id(n),
        scope,
    };
    let state = given::<Catalogos>([
        register(TypeCatalog::Contrato, 1, "BODEGAS"),
        register(TypeCatalog::Contrato, 2, "ANTENAS"),
        clause_n(10, "Objeto", 2, true),
        clause_n(11, "Canon", 1, true),
        clause_n(12, "Propiedad intelectual", 3, false),
        clause_n(13, "Seguridad", 4, true),
        mandatory(10, ClauseScope::AllClient),
        mandatory(11, ClauseScope::ContractType(id(1))),
        mandatory(12, ClauseScope::AllClient),
        mandatory(13, ClauseScope::AllSupplier),
    ]);
    let titles = |kind, type_id| -> Vec<String> {
        state
            .mandatory_for(kind, type_id)
            .iter()
            .map(|c| c.data.title.clone())
            .collect()
    };
    assert_eq!(
        titles(ContractKind::Cliente, Some(id(1))),
        ["Canon", "Objeto"]
    );
    assert_eq!(titles(ContractKind::Cliente, Some(id(2))), ["Objeto"]);
    assert_eq!(titles(ContractKind::Cliente, None), ["Objeto"]);
    assert_eq!(titles(ContractKind::Proveedor, Some(id(1))), ["Seguridad"]);
}
