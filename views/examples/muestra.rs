//! Renders sample pages built only from this crate's components, with the assets, into a folder,
//! to look at the design: `cargo run -p arriendo-views --example muestra -- /tmp/muestra`, then serve
//! that folder (`python3 -m http.server -d /tmp/muestra`) and open `/panel.html`.

use std::{fs, path::PathBuf};

use arriendo_views::components::{
    AlertCard, AlertEntry, Column, Detail, Field, FormErrors, Sort, SortDir, TimelineEntry, Tone,
    alert_card, badge, card, checkbox, csrf_field, date_field, detail_list, error_summary,
    fieldset, form_actions, link_button, money_field, month_chart, number_field, page_header,
    pagination, percent_field, required_note, select_field, stat_tile, state_badge, table_head,
    table_wrap, text_field, textarea, timeline,
};
use arriendo_views::{Flash, PageContext, UserBadge, errors, format, page};
use chrono::NaiveDate;
use maud::{Markup, html};

fn ctx(path: &str, flash: Vec<Flash>) -> PageContext {
    PageContext {
        user: Some(UserBadge {
            username: "mlopez".into(),
            role_label: "Administrador".into(),
            is_admin: true,
        }),
        csrf_token: "muestra".into(),
        flash,
        current_path: path.into(),
        quarantined: 0,
        inbox: 0,
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn entry(
    n: &str,
    detail: &str,
    label: &str,
    date: NaiveDate,
    days: i64,
    src: &str,
    tone: Tone,
) -> AlertEntry {
    AlertEntry {
        contract: n.into(),
        href: format!("/contratos/{n}"),
        detail: detail.into(),
        date_label: label.into(),
        date,
        days_left: days,
        days_text: None,
        source: Some(src.into()),
        tone,
        action: None,
        handle_href: None,
    }
}

fn dashboard() -> Markup {
    let venc = [
        entry(
            "C-2021-044",
            "Café Andino S.A.S. · Local 12",
            "Termina",
            d(2025, 7, 3),
            8,
            "OS-2",
            Tone::Danger,
        ),
        entry(
            "C-2022-101",
            "Droguería La Salud · Local 3",
            "Termina",
            d(2025, 7, 28),
            33,
            "contrato",
            Tone::Warning,
        ),
        entry(
            "C-2020-007",
            "Banco del Valle · Local 1",
            "Termina",
            d(2025, 8, 30),
            66,
            "RA-1",
            Tone::Warning,
        ),
    ];
    let pol = [
        entry(
            "C-2023-015",
            "RCE · Seguros Bolívar 10-442",
            "Vence",
            d(2025, 6, 20),
            -5,
            "OS-1",
            Tone::Danger,
        ),
        entry(
            "C-2019-003",
            "Cumplimiento · Sura 99812",
            "Vence",
            d(2025, 7, 12),
            17,
            "contrato",
            Tone::Warning,
        ),
    ];
    let pre = [entry(
        "C-2021-044",
        "Café Andino S.A.S.",
        "Límite de preaviso",
        d(2025, 5, 4),
        -52,
        "OS-2",
        Tone::Danger,
    )];
    let months: Vec<(String, u32, u32)> = (0..12)
        .map(|i| {
            let m = (6 + i) % 12 + 1;
            let y = if 6 + i >= 12 { 2026 } else { 2025 };
            (
                format::month_short(y, m),
                [3, 1, 4, 0, 2, 6, 1, 0, 2, 5, 3, 1][i as usize],
                [2, 5, 1, 3, 0, 2, 4, 1, 1, 0, 2, 3][i as usize],
            )
        })
        .collect();
    page(
        &ctx(
            "/",
            vec![Flash::exito(
                "Otro Sí OS-2 aprobado. El canon nuevo rige desde el 01/07/2025.",
            )],
        ),
        "Panel",
        html! {
            (page_header("Panel", Some("Hoy, 25 de junio de 2025 · 1.204 contratos vigentes"), link_button("/contratos/nuevo", "Nuevo contrato", true)))
            div.grid-4 {
                (stat_tile("Fijo", "812", Some("/contratos?modalidad=fijo")))
                (stat_tile("Variable puro", "97", Some("/contratos?modalidad=variable")))
                (stat_tile("Híbrido", "295", Some("/contratos?modalidad=hibrido")))
                (stat_tile("Proveedores", "64", Some("/contratos?tipo=proveedor")))
            }
            h2.section { "Alertas" }
            div.alert-grid {
                (alert_card(&AlertCard { id: "vencimiento", title: "Vencimiento de contrato", count: 14, tone: Tone::Danger, entries: &venc, see_all_href: "/alertas/vencimiento" }))
                (alert_card(&AlertCard { id: "polizas", title: "Pólizas críticas", count: 2, tone: Tone::Danger, entries: &pol, see_all_href: "/alertas/polizas" }))
                (alert_card(&AlertCard { id: "preaviso", title: "Preaviso", count: 1, tone: Tone::Danger, entries: &pre, see_all_href: "/alertas/preaviso" }))
                (alert_card(&AlertCard { id: "respaldo", title: "Respaldo", count: 0, tone: Tone::Danger, entries: &[], see_all_href: "/respaldos" }))
            }
            div.section { (month_chart(&months)) }
        },
    )
}

fn list() -> Markup {
    let q = "q=caf&modalidad=fijo&pagina=3&orden=fin&dir=asc";
    let sort = Sort::from_query(q, &["numero", "fin", "canon"], ("numero", SortDir::Asc));
    let cols = [
        Column::new("Número").sortable("numero"),
        Column::new("Arrendatario"),
        Column::new("Local"),
        Column::new("Modalidad"),
        Column::new("Canon vigente").sortable("canon").numeric(),
        Column::new("Termina").sortable("fin"),
        Column::new("Estado"),
    ];
    let rows = [
        (
            "C-2021-044",
            "Café Andino S.A.S.",
            "Local 12",
            "Fijo",
            5_300_000,
            d(2025, 7, 3),
            "Vigente",
        ),
        (
            "C-2022-101",
            "Droguería La Salud",
            "Local 3",
            "Híbrido",
            12_450_000,
            d(2025, 7, 28),
            "Vigente",
        ),
        (
            "C-2018-002",
            "Zapatería El Paso Ltda.",
            "Local 7",
            "Variable puro",
            0,
            d(2024, 12, 31),
            "Vencido",
        ),
    ];
    page(
        &ctx("/contratos", vec![]),
        "Contratos",
        html! {
            (page_header("Contratos", Some("1.204 contratos"), link_button("/contratos/nuevo", "Nuevo contrato", true)))
            form.filters method="get" action="/contratos" role="search" {
                (text_field(&Field::new("q", "Buscar").value("caf").input_type("search").placeholder("Número, arrendatario, NIT o local")))
                (select_field(&Field::new("modalidad", "Modalidad").value("fijo").placeholder("Todas"), &[("fijo", "Fijo"), ("variable", "Variable puro"), ("hibrido", "Híbrido")]))
                div.form-actions { button.btn.btn-secondary type="submit" { "Filtrar" } }
            }
            (table_wrap("Contratos", table_head(&cols, Some(&sort), q), html! {
                tbody {
                    @for (n, t, l, m, c, end, s) in rows {
                        tr class=[(s == "Vencido").then_some("row-danger")] {
                            th scope="row" { a href={ "/contratos/" (n) } { (n) } }
                            td { (t) } td { (l) } td { (m) }
                            td.num { @if c > 0 { (format::money(c)) } @else { span.muted { "% de ventas" } } }
                            td.nowrap { (format::date(end)) }
                            td { (state_badge(s)) }
                        }
                    }
                }
            }))
            (pagination(3, 25, 1204, q))
        },
    )
}

fn form() -> Markup {
    let mut errors = FormErrors::new();
    errors.add("canon", "El canon no puede ser negativo.");
    errors.add(
        "fecha_fin",
        "La fecha de terminación debe ser posterior a la de inicio.",
    );
    page(
        &ctx("/contratos/nuevo", vec![]),
        "Nuevo contrato",
        html! {
            (page_header("Nuevo contrato", None, html! {}))
            form.form method="post" action="/contratos" novalidate {
                (error_summary(&errors))
                (csrf_field("muestra"))
                (required_note())
                (fieldset("Datos generales", html! {
                    div.form-grid {
                        (text_field(&Field::new("numero", "Número").value("C-2025-120").required().errors(&errors)))
                        (select_field(&Field::new("arrendatario", "Arrendatario").value("3").placeholder("Seleccione…").required(), &[("3", "Café Andino S.A.S. — 900.123.456"), ("4", "Droguería La Salud — 800.555.111")]))
                        (date_field(&Field::new("fecha_inicio", "Fecha de inicio").value("2025-07-01").required()))
                        (date_field(&Field::new("fecha_fin", "Fecha de terminación").value("2025-06-30").required().errors(&errors)))
                        (number_field(&Field::new("duracion", "Duración inicial (meses)").value("12").required(), Some(1), Some(600)))
                        (number_field(&Field::new("preaviso", "Días de preaviso").value("60").hint("Por defecto 60 días."), Some(0), None))
                    }
                    (checkbox(&Field::new("prorroga", "Prórroga automática").hint("Al terminar se renueva por la duración inicial, con aprobación de un administrador."), true))
                }))
                (fieldset("Canon", html! {
                    div.form-grid {
                        (select_field(&Field::new("modalidad", "Modalidad de pago").value("hibrido").required(), &[("fijo", "Fijo"), ("variable", "Variable puro"), ("hibrido", "Híbrido")]))
                        (money_field(&Field::new("canon", "Canon mínimo mensual").value("-1.234.567").required().errors(&errors)))
                        (percent_field(&Field::new("porcentaje", "Porcentaje de ventas").value("5,2").hint("Sobre ventas netas (brutas menos devoluciones).")))
                    }
                    (textarea(&Field::new("objeto", "Objeto / destinación").value("Venta de café y alimentos preparados."), 3))
                }))
                (form_actions("Guardar contrato", Some("/contratos")))
            }
        },
    )
}

fn detail() -> Markup {
    let when = d(2025, 6, 24).and_hms_opt(16, 42, 0).unwrap_or_default();
    page(
        &ctx("/contratos/C-2021-044", vec![]),
        "Contrato C-2021-044",
        html! {
            (page_header("Contrato C-2021-044", Some("Café Andino S.A.S. · Local 12"), html! { (link_button("/contratos/C-2021-044/otrosi/nuevo", "Nuevo Otro Sí", true)) (link_button("/contratos/C-2021-044/editar", "Editar", false)) }))
            div.grid-2 {
                (card(Some("Términos vigentes hoy"), detail_list(&[
                    Detail::new("Estado", badge(Tone::Ok, "Vigente")),
                    Detail::new("Modalidad", "Híbrido").source(Some("OS-1")),
                    Detail::new("Canon mínimo", format::money(5_300_000)).source(Some("OS-2")),
                    Detail::new("Porcentaje de ventas", format::percent(rust_decimal::Decimal::new(52, 1))),
                    Detail::new("Inicio", format::date(d(2021, 7, 4))),
                    Detail::new("Terminación", format::date(d(2025, 7, 3))).source(Some("OS-2")),
                    Detail::new("Prórroga automática", format::yes_no(false)),
                    Detail::new("Preaviso", "60 días"),
                ])))
                (card(Some("Historial"), timeline(&[
                    TimelineEntry { when, who: "admin".into(), sentence: "Aprobó el Otro Sí OS-2: canon $ 5.300.000 desde el 01/07/2025.".into(), href: None },
                    TimelineEntry { when: when - chrono::Duration::days(2), who: "mlopez".into(), sentence: "Envió a revisión el Otro Sí OS-2.".into(), href: None },
                    TimelineEntry { when: when - chrono::Duration::days(400), who: "mlopez".into(), sentence: "Registró la póliza RCE 10-442 de Seguros Bolívar.".into(), href: None },
                    TimelineEntry { when: when - chrono::Duration::days(1400), who: "mlopez".into(), sentence: "Creó el contrato.".into(), href: None },
                ])))
            }
        },
    )
}

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/muestra".into()),
    );
    fs::create_dir_all(out.join("static"))?;
    fs::write(out.join("static/app.css"), arriendo_views::APP_CSS)?;
    fs::write(out.join("static/app.js"), arriendo_views::APP_JS)?;
    fs::write(out.join("static/favicon.svg"), arriendo_views::FAVICON_SVG)?;
    let anon = PageContext::default();
    for (name, html) in [
        ("panel", dashboard()),
        ("lista", list()),
        ("formulario", form()),
        ("detalle", detail()),
        ("404", errors::not_found(&ctx("/x", vec![]))),
        ("500", errors::server_error(&anon, "req-7f3a9c")),
    ] {
        fs::write(out.join(format!("{name}.html")), html.into_string())?;
    }
    println!("{}", out.display());
    Ok(())
}
