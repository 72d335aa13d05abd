//! The catalogue of every event the write side records, for `docs/events.md` and its check.

use serde::Serialize;

/// One event type as stored: its aggregate, name, current version and top-level payload fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventDoc {
    pub aggregate: &'static str,
    pub event_type: &'static str,
    pub version: &'static str,
    /// Fields inside the payload (payloads are externally tagged: `{"EventType": {fields…}}`).
    pub fields: &'static [&'static str],
}

/// Every event of every aggregate, in declaration order.
pub fn event_catalog() -> Vec<EventDoc> {
    let mut all = crate::tercero::TerceroEvent::catalog();
    all.extend(crate::local::LocalEvent::catalog());
    all.extend(crate::contrato::ContratoEvent::catalog());
    all.extend(crate::indice::IndiceEvent::catalog());
    all.extend(crate::empresa::EmpresaEvent::catalog());
    all.extend(crate::catalogos::CatalogosEvent::catalog());
    all
}

/// Implements `cqrs_es::DomainEvent` (event type = variant name, an explicit version per event)
/// and an inherent `catalog()` listing each variant with its payload fields.
macro_rules! domain_event {
    ($enum:ident, $aggregate:expr, { $( $variant:ident => $version:expr, $fields:expr );+ $(;)? }) => {
        impl ::cqrs_es::DomainEvent for $enum {
            fn event_type(&self) -> String {
                match self { $( Self::$variant { .. } => stringify!($variant), )+ }.to_string()
            }
            fn event_version(&self) -> String {
                match self { $( Self::$variant { .. } => $version, )+ }.to_string()
            }
        }

        impl $enum {
            /// The catalogue entries of this aggregate's events.
            pub fn catalog() -> Vec<$crate::catalog::EventDoc> {
                vec![ $( $crate::catalog::EventDoc {
                    aggregate: $aggregate,
                    event_type: stringify!($variant),
                    version: $version,
                    fields: $fields,
                }, )+ ]
            }
        }
    };
}
pub(crate) use domain_event;

/// Implements `cqrs_es::Aggregate` by delegating to the pure `decide` and `apply` of the state.
macro_rules! aggregate_via_decide {
    ($state:ident, $type_name:expr, $command:ty, $event:ty) => {
        impl ::cqrs_es::Aggregate for $state {
            const TYPE: &'static str = $type_name;
            type Command = $command;
            type Event = $event;
            type Error = $crate::DomainError;
            type Services = ();

            async fn handle(
                &mut self,
                command: Self::Command,
                _services: &Self::Services,
                sink: &::cqrs_es::event_sink::EventSink<Self>,
            ) -> Result<(), Self::Error> {
                for event in self.decide(command)? {
                    sink.write(event, self).await;
                }
                Ok(())
            }

            fn apply(&mut self, event: Self::Event) {
                self.apply_event(event);
            }
        }
    };
}
pub(crate) use aggregate_via_decide;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use cqrs_es::DomainEvent;
    use serde_json::Value;

    use super::*;
    use crate::*;

    fn check(event_type: String, version: String, json: Value) {
        let doc = event_catalog()
            .into_iter()
            .find(|d| d.event_type == event_type)
            .unwrap();
        assert_eq!(doc.version, version);
        let payload = json.get(&event_type).and_then(Value::as_object).unwrap();
        let fields: BTreeSet<&str> = payload.keys().map(String::as_str).collect();
        assert_eq!(fields, doc.fields.iter().copied().collect(), "{event_type}");
    }

    fn doc<E: DomainEvent>(event: E) {
        check(
            event.event_type(),
            event.event_version(),
            serde_json::to_value(&event).unwrap(),
        );
    }

    #[test]
    fn catalogue_fields_of_tercero_local_indice_and_empresa_events() {
        let tercero = TerceroData {
            nit: Nit::parse("900123456-8").unwrap(),
            razon_social: "X".into(),
            kind: TerceroKind::Proveedor,
            legal_representative: None,
            supervisor_name: None,
            supervisor_email: None,
        };
        doc(TerceroEvent::TerceroRegistered(tercero.clone()));
        doc(TerceroEvent::TerceroUpdated(tercero));
        let local = LocalData {
            name: "L".into(),
            location: "P1".into(),
            area_m2: Area::parse("10").unwrap(),
        };
        doc(LocalEvent::LocalRegistered(local.clone()));
        doc(LocalEvent::LocalUpdated(local));
        let id = uuid::Uuid::from_u128(1);
        let clause = ClauseData {
            title: "Objeto".into(),
            text: String::new(),
            category: String::new(),
            order: 1,
            active: true,
        };
        let scope = ClauseScope::ContractType(id);
        doc(CatalogosEvent::TypeRegistered {
            id,
            catalog: TypeCatalog::Contrato,
            name: "BODEGAS".into(),
        });
        doc(CatalogosEvent::TypeUpdated {
            id,
            name: "Bodegas".into(),
            active: false,
        });
        doc(CatalogosEvent::ClauseRegistered {
            id,
            clause: clause.clone(),
        });
        doc(CatalogosEvent::ClauseUpdated { id, clause });
        doc(CatalogosEvent::MandatoryClauseAdded {
            clause_id: id,
            scope,
        });
        doc(CatalogosEvent::MandatoryClauseRemoved {
            clause_id: id,
            scope,
        });
        doc(IndiceEvent::IndexValueRecorded {
            kind: IndexKind::Ipc,
            year: 2025,
            value: Percentage::ZERO,
            previous: None,
            by: "a".into(),
        });
        let company = CompanyData {
            name: "Andino".into(),
            nit: Nit::parse("900123456-8").unwrap(),
            legal_representative: "Ana".into(),
            address: "Cra 11".into(),
            phone: "601".into(),
            email: None,
        };
        doc(EmpresaEvent::CompanyDataRecorded {
            data: company,
            by: "a".into(),
        });
        doc(EmpresaEvent::CompanyLogoSet {
            logo: StoredFile {
                sha256: "d".repeat(64),
                size_bytes: 1,
                media_type: MediaType::Png,
                file_name: "logo.png".into(),
            },
            by: "a".into(),
        });
        doc(EmpresaEvent::CompanyLogoRemoved { by: "a".into() });
    }
}
