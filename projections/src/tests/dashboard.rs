use arriendo_events::*;

use crate::dashboard::*;
use crate::testing::*;

#[test]
fn counts_contracts_in_force_by_modality_and_kind() {
    let fijo = Story::of(terms());
    let hibrido = Story::of(hybrid(10_000_000, "5"));
    let proveedor = Story::of(ContractTerms {
        kind: ContractKind::Proveedor,
        ..variable("8")
    });
    let finished = Story::of(ending(d(2026, 2, 1)));
    let terminated = Story::of(terms()).terminated(d(2026, 1, 1));
    let all = [
        &fijo.state,
        &hibrido.state,
        &proveedor.state,
        &finished.state,
        &terminated.state,
    ];
    let s = summary(all, today(), None);
    assert_eq!(s.in_force, 3);
    assert_eq!(
        s.by_modality,
        ModalityCounts {
            fijo: 1,
            variable_puro: 1,
            hibrido: 1
        }
    );
    assert_eq!(
        s.by_kind,
        KindCounts {
            cliente: 2,
            proveedor: 1
        }
    );
    let clientes = summary(all, today(), Some(ContractKind::Cliente));
    assert_eq!(clientes.in_force, 2);
    assert_eq!(clientes.by_modality.variable_puro, 0);
}

#[test]
fn the_chart_covers_12_months_of_ends_and_policy_expiries() {
    let a = Story::of(ending(d(2026, 3, 31)))
        .poliza(1, rce(80_000_000, d(2026, 5, 31), 1, RequiredBy::Contract));
    let b = Story::of(ending(d(2027, 2, 28)));
    let c = Story::of(ending(d(2027, 3, 1)));
    let chart = monthly_chart([&a.state, &b.state, &c.state], today(), None);
    assert_eq!(chart.len(), 12);
    assert_eq!(chart[0].period, ym(2026, 3));
    assert_eq!(chart[11].period, ym(2027, 2));
    assert_eq!(chart[0].contracts_ending, 1);
    // 31/05/2026 with one colchón month expires effectively in April.
    assert_eq!(chart[1].policies_expiring, 1);
    assert_eq!(chart[11].contracts_ending, 1);
    let total: usize = chart.iter().map(|m| m.contracts_ending).sum();
    assert_eq!(total, 2);
}
