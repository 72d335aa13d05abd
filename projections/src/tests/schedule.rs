use arriendo_events::*;

use crate::Source;
use crate::fold::fold_indice;
use crate::schedule::*;
use crate::testing::*;

fn ipc(year: i32, value: &str) -> Indices {
    Indices {
        ipc: fold_indice([IndiceEvent::IndexValueRecorded {
            kind: IndexKind::Ipc,
            year,
            value: pct(value),
            previous: None,
            by: "gestor".into(),
        }]),
        salario_minimo: Indice::default(),
    }
}

fn row(rows: &[ScheduleRow], year: i32, month: u32) -> &ScheduleRow {
    rows.iter().find(|r| r.period == ym(year, month)).unwrap()
}

#[test]
fn one_row_per_month_from_start_to_end() {
    let rows = canon_schedule(&Story::of(terms()).state, &Indices::default());
    assert_eq!(rows.len(), 24);
    assert_eq!(rows[0].period, ym(2025, 1));
    assert_eq!(rows[23].period, ym(2026, 12));
    let january = row(&rows, 2025, 1);
    assert_eq!(january.amount, Some(pesos(10_000_000)));
    assert_eq!(january.basis, "canon fijo");
    assert_eq!(january.source, Source::Contrato);
    assert!(!january.projected);
}

#[test]
fn a_recorded_adjustment_applies_from_its_date() {
    let story = Story::of(terms()).adjusted(2026, "5,2", d(2026, 1, 1));
    let rows = canon_schedule(&story.state, &Indices::default());
    assert_eq!(row(&rows, 2025, 12).amount, Some(pesos(10_000_000)));
    let january = row(&rows, 2026, 1);
    // 10.000.000 × (1 + (5,2 + 2) / 100) = 10.720.000
    assert_eq!(january.amount, Some(pesos(10_720_000)));
    assert_eq!(january.basis, "ajuste IPC 2026");
    assert_eq!(january.source, Source::Ajuste("IPC 2026".into()));
    assert!(!january.projected);
}

#[test]
fn a_future_adjustment_is_projected_with_the_previous_years_ipc() {
    // IPC 2025 = 5,2 known: the 2026 adjustment is projected at 7,2 %.
    let rows = canon_schedule(&Story::of(terms()).state, &ipc(2025, "5,2"));
    let january = row(&rows, 2026, 1);
    assert_eq!(january.amount, Some(pesos(10_720_000)));
    assert_eq!(january.basis, "ajuste IPC 2026 (proyectado)");
    assert!(january.projected);
    // Without the IPC the canon is kept, and marked projected.
    let rows = canon_schedule(&Story::of(terms()).state, &Indices::default());
    let january = row(&rows, 2026, 1);
    assert_eq!(january.amount, Some(pesos(10_000_000)));
    assert_eq!(
        january.basis,
        "canon fijo (ajuste pendiente: índice no publicado)"
    );
    assert!(january.projected);
}

#[test]
fn projected_adjustments_round_to_whole_pesos() {
    // 1.234.567 × 1,05 = 1.296.295,35 → 1.296.295 (IPC 3 + 2 points).
    let story = Story::of(ContractTerms {
        modality: PaymentModality::Fijo {
            canon: pesos(1_234_567),
        },
        ..terms()
    });
    let rows = canon_schedule(&story.state, &ipc(2025, "3"));
    assert_eq!(row(&rows, 2026, 1).amount, Some(pesos(1_296_295)));
}

#[test]
fn an_approved_otro_si_changes_the_canon_from_its_month() {
    let story = Story::of(terms()).otro_si(d(2025, 6, 1), canon(12_000_000));
    let rows = canon_schedule(&story.state, &Indices::default());
    assert_eq!(row(&rows, 2025, 5).amount, Some(pesos(10_000_000)));
    let june = row(&rows, 2025, 6);
    assert_eq!(june.amount, Some(pesos(12_000_000)));
    assert_eq!(june.basis, "OS-1");
    assert_eq!(june.source, Source::OtroSi("OS-1".into()));
}

#[test]
fn an_otro_si_that_extends_the_contract_extends_the_schedule() {
    let story = Story::of(terms()).otro_si(d(2025, 6, 1), new_end(d(2027, 6, 30)));
    let rows = canon_schedule(&story.state, &Indices::default());
    assert_eq!(rows.last().unwrap().period, ym(2027, 6));
    assert_eq!(rows.len(), 30);
}

#[test]
fn a_grace_period_reduces_the_canon() {
    let story = Story::of(ContractTerms {
        grace_period: Some(GracePeriod {
            period: DateRange::new(d(2025, 1, 1), d(2025, 2, 28)).unwrap(),
            canon: Money::ZERO,
            condition: "Adecuaciones del local".into(),
        }),
        ..terms()
    });
    let rows = canon_schedule(&story.state, &Indices::default());
    for month in [1, 2] {
        let r = row(&rows, 2025, month);
        assert_eq!(r.amount, Some(Money::ZERO));
        assert_eq!(r.basis, "periodo de gracia");
    }
    assert_eq!(row(&rows, 2025, 3).amount, Some(pesos(10_000_000)));
}

#[test]
fn sales_based_months_need_the_delivered_report() {
    let story = Story::of(variable("8"))
        .report(ym(2025, 1), None)
        .delivered(ym(2025, 1), 100_000_000, 0);
    let rows = canon_schedule(&story.state, &Indices::default());
    let january = row(&rows, 2025, 1);
    assert_eq!(january.amount, Some(pesos(8_000_000)));
    assert_eq!(january.basis, "ventas reportadas");
    let february = row(&rows, 2025, 2);
    assert_eq!(february.amount, None);
    assert_eq!(february.basis, "ventas sin reportar");

    // Híbrido: minimum plus the excess once reported; the minimum (projected) before.
    let story = Story::of(ContractTerms {
        adjustment: None,
        ..hybrid(10_000_000, "8")
    })
    .report(ym(2025, 1), None)
    .delivered(ym(2025, 1), 150_000_000, 0);
    let rows = canon_schedule(&story.state, &Indices::default());
    assert_eq!(row(&rows, 2025, 1).amount, Some(pesos(12_000_000)));
    let february = row(&rows, 2025, 2);
    assert_eq!(february.amount, Some(pesos(10_000_000)));
    assert_eq!(february.basis, "mínimo garantizado (ventas sin reportar)");
    assert!(february.projected);
}

#[test]
fn a_terminated_contract_stops_at_its_termination() {
    let story = Story::of(terms()).terminated(d(2025, 6, 15));
    let rows = canon_schedule(&story.state, &Indices::default());
    assert_eq!(rows.last().unwrap().period, ym(2025, 6));
}
