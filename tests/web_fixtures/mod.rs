//! Fixtures for the page tests: a tenant, a local and contracts made with the domain's commands.
#![allow(dead_code, clippy::unwrap_used)]

mod auditoria;
#[allow(unused_imports)]
pub use auditoria::audited_contract;

use arriendo::App;
use arriendo::store::Metadata;
use arriendo_events::*;
use chrono::{Duration, NaiveDate};
use uuid::Uuid;

pub fn admin() -> Actor {
    Actor::new("fixture-admin", Role::Administrador)
}

pub fn money(pesos: i64) -> Money {
    Money::from_pesos(pesos).unwrap()
}

pub fn pct(text: &str) -> Percentage {
    Percentage::parse(text).unwrap()
}

pub async fn tenant(app: &App, nit: &str, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    app.commands
        .tercero(
            &id.to_string(),
            TerceroCommand::RegisterTercero {
                actor: admin(),
                data: TerceroData {
                    nit: Nit::parse(nit).unwrap(),
                    razon_social: name.into(),
                    kind: TerceroKind::Arrendatario,
                    legal_representative: None,
                    supervisor_name: None,
                    supervisor_email: None,
                },
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    id
}

pub async fn local(app: &App, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    app.commands
        .local(
            &id.to_string(),
            LocalCommand::RegisterLocal {
                actor: admin(),
                data: LocalData {
                    name: name.into(),
                    location: "Piso 1".into(),
                    area_m2: Area::parse("85,5").unwrap(),
                },
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    id
}

/// An RCE requirement of $ 500.000.000 with a premises sub-limit of $ 300.000.000.
pub fn rce_requirement() -> PolicyRequirement {
    PolicyRequirement {
        kind: PolicyKind::Rce,
        minimum_insured: money(500_000_000),
        months_of_cover: 0,
        rce_sublimits: Some(RceSublimits {
            premises_operations: Some(money(300_000_000)),
            ..RceSublimits::default()
        }),
        cumplimiento_cover: None,
    }
}

/// A fixed-rent contract of $12.500.000 that started on 2025-05-02 (tercero 1, local 2): the
/// contract the store-level tests race and fold.
pub fn fijo_terms(number: &str) -> ContractTerms {
    terms(
        number,
        Uuid::from_u128(1),
        Some(Uuid::from_u128(2)),
        PaymentModality::Fijo {
            canon: money(12_500_000),
        },
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
        30,
    )
}

/// Base terms: started `started_days_ago`, 36 months, IPC + 2 points on the anniversary.
pub fn terms(
    number: &str,
    tercero: Uuid,
    local: Option<Uuid>,
    modality: PaymentModality,
    today: NaiveDate,
    started_days_ago: i64,
) -> ContractTerms {
    let start = today - Duration::days(started_days_ago);
    ContractTerms {
        number: number.into(),
        kind: ContractKind::Cliente,
        purpose: "Venta al detal".into(),
        tercero_id: tercero,
        local_id: local,
        signing_date: start,
        start_date: start,
        initial_duration_months: 36,
        end_date: add_months(start, 36) - Duration::days(1),
        automatic_extension: false,
        preaviso_days: 60,
        early_termination_notice_days: 60,
        sales_report_due_day: modality.is_sales_based().then_some(10),
        modality,
        adjustment: Some(AdjustmentRule {
            index: AdjustmentIndex::Ipc { points: pct("2") },
            on: AdjustmentDate::Anniversary,
        }),
        grace_period: None,
        required_policies: vec![rce_requirement()],
        penalty_clause: String::new(),
        late_payment_interest: String::new(),
        signed_document_url: None,
        type_id: None,
    }
}

pub async fn contract(app: &App, terms: ContractTerms) -> Uuid {
    let id = Uuid::now_v7();
    app.commands
        .contrato(
            &id.to_string(),
            ContratoCommand::CreateContract {
                actor: admin(),
                terms,
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    app.projector.catch_up().await.unwrap();
    id
}

/// A fixed-rent contract numbered `number` of the tenant Café Andino S.A.S. (registered here), started
/// 30 days ago: the smallest contract a page test needs.
pub async fn fijo_contract(app: &App, number: &str) -> Uuid {
    let tercero = tenant(app, "900123456-8", "Café Andino S.A.S.").await;
    let modality = PaymentModality::Fijo {
        canon: money(12_500_000),
    };
    let today = arriendo::app::today();
    contract(app, terms(number, tercero, None, modality, today, 30)).await
}

/// The text of a response, with its status checked.
pub async fn page(response: reqwest::Response, status: u16) -> String {
    let got = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; page:\n{text}");
    text
}

/// Runs `command` on contract `id` carrying the versions it replaces, as a form would.
pub async fn run(app: &App, id: Uuid, command: ContratoCommand) {
    let current = app
        .commands
        .load_contrato(&id.to_string())
        .await
        .unwrap()
        .unwrap_or_default();
    app.commands
        .contrato(
            &id.to_string(),
            command.prepared_from(&current),
            Metadata::system("test"),
        )
        .await
        .unwrap();
}

/// Registers and delivers each month of `months` in `year` (delivered on the 5th of the next
/// month) with `sales` and no returns.
pub async fn deliver_months(
    app: &App,
    id: Uuid,
    actor: &Actor,
    year: i32,
    months: std::ops::RangeInclusive<u32>,
    sales: Money,
) {
    for month in months {
        let period = YearMonth::new(year, month).unwrap();
        run(
            app,
            id,
            ContratoCommand::RegisterSalesReport {
                actor: actor.clone(),
                period,
                deadline: None,
            },
        )
        .await;
        run(
            app,
            id,
            ContratoCommand::MarkSalesReportDelivered {
                actor: actor.clone(),
                period,
                date: period.next().day(5),
                gross_sales: sales,
                returns: Money::ZERO,
                expected_version: 0,
            },
        )
        .await;
    }
    app.projector.catch_up().await.unwrap();
}

/// Records the IPC of `year` (for example "5,1").
pub async fn record_ipc(app: &App, actor: &Actor, year: i32, value: &str) {
    app.commands
        .indice(
            IndexKind::Ipc.stream_id(),
            IndiceCommand::RecordIndexValue {
                actor: actor.clone(),
                kind: IndexKind::Ipc,
                year,
                value: pct(value),
            },
            Metadata::system("test"),
        )
        .await
        .unwrap();
    app.projector.catch_up().await.unwrap();
}

/// Híbrido $ 12.500.000 at 8 % starting on the first of `today`'s month, with a grace period of
/// that month and the next at canon $ 0 (01/12/2026–31/01/2027 in issue 10). Returns the contract
/// and its first month.
pub async fn hybrid_in_grace(
    app: &App,
    number: &str,
    tercero: Uuid,
    today: NaiveDate,
) -> (Uuid, YearMonth) {
    let first = YearMonth::of(today);
    let start = first.first_day();
    let mut terms = terms(
        number,
        tercero,
        None,
        PaymentModality::Hibrido {
            minimum: money(12_500_000),
            percentage: pct("8"),
        },
        start,
        0,
    );
    terms.grace_period = Some(GracePeriod {
        period: DateRange::new(start, first.next().last_day()).unwrap(),
        canon: Money::ZERO,
        condition: "Adecuaciones del local".into(),
    });
    (contract(app, terms).await, first)
}

/// Híbrido $ 15.000.000 at 5 % from 01/09/2025, IPC + 2 on the anniversary (issue 10's
/// reliquidación example).
pub async fn hybrid_fifteen_million(app: &App, number: &str, tercero: Uuid) -> Uuid {
    let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    let modality = PaymentModality::Hibrido {
        minimum: money(15_000_000),
        percentage: pct("5"),
    };
    contract(app, terms(number, tercero, None, modality, start, 0)).await
}
