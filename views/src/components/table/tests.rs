use super::*;

#[test]
fn sort_from_query_validates_key() {
    let s = Sort::from_query(
        "orden=numero&dir=desc",
        &["numero", "fin"],
        ("fin", SortDir::Asc),
    );
    assert_eq!(s.key, "numero");
    assert_eq!(s.dir, SortDir::Desc);
    let s = Sort::from_query("orden=drop+table", &["numero"], ("fin", SortDir::Asc));
    assert_eq!(s.key, "fin");
}

#[test]
fn header_links_keep_filters_and_drop_page() {
    let cols = [
        Column::new("Número").sortable("numero"),
        Column::new("Arrendatario"),
        Column::new("Canon").sortable("canon").numeric(),
    ];
    let sort = Sort {
        key: "numero".into(),
        dir: SortDir::Asc,
    };
    let html = table_head(
        &cols,
        Some(&sort),
        "q=caf%C3%A9&modalidad=fijo&pagina=3&orden=numero&dir=asc",
    )
    .into_string();
    // Current column: flips to desc, keeps filters, drops the page.
    assert!(
        html.contains("href=\"?q=caf%C3%A9&amp;modalidad=fijo&amp;orden=numero&amp;dir=desc\"")
    );
    assert!(html.contains("aria-sort=\"ascending\""));
    // Other sortable column: ascending.
    assert!(html.contains("href=\"?q=caf%C3%A9&amp;modalidad=fijo&amp;orden=canon&amp;dir=asc\""));
    assert!(html.contains("<th scope=\"col\">Arrendatario</th>"));
    assert!(html.contains("<th scope=\"col\" class=\"num\">"));
    assert!(!html.contains("pagina"));
}

#[test]
fn table_wrap_is_scrollable_region() {
    let html = table_wrap("Contratos", html! {}, html! { tbody {} }).into_string();
    assert!(
        html.contains(
            "class=\"table-wrap\" role=\"region\" aria-label=\"Contratos\" tabindex=\"0\""
        )
    );
    assert!(html.contains("<caption class=\"visually-hidden\">Contratos</caption>"));
}

#[test]
fn body_cells_carry_their_column_label() {
    let cols = [
        Column::new("Número").sortable("numero"),
        Column::new("Arrendatario"),
        Column::new("Canon").numeric(),
    ];
    let html = table_wrap(
        "Contratos",
        table_head(&cols, None, ""),
        html! { tbody {
            tr { td { a href="/c/1" { "CT-1" } } td { "Café & Cía" br; span.small { "NIT 1" } } td.num { "$ 1" } }
            tr { th scope="row" { "CT-2" } td data-label="Propio" { "B" } td { "$ 2" } }
            tr { td colspan="3" { "Sin filas" } }
        } },
    )
    .into_string();
    assert!(html.contains("<td data-label=\"Número\"><a href=\"/c/1\">CT-1</a></td>"));
    assert!(html.contains("<td data-label=\"Arrendatario\">Café &amp; Cía<br>"));
    assert!(html.contains("<td data-label=\"Canon\" class=\"num\">$ 1</td>"));
    assert!(html.contains("<th data-label=\"Número\" scope=\"row\">CT-2</th>"));
    assert!(html.contains("<td data-label=\"Propio\">B</td>"), "kept");
    assert!(
        html.contains("<td colspan=\"3\">Sin filas</td>"),
        "a spanning cell has none"
    );
    assert_eq!(html.matches("data-label=").count(), 6);
}

#[test]
fn labels_come_from_hand_written_heads_too() {
    let head = html! { thead { tr { th { "Mes" } th.num colspan="2" { "Totales" } th { span.visually-hidden { "Acciones" } } } } };
    assert_eq!(header_labels(&head.0), ["Mes", "Totales", "", "Acciones"]);
}

#[test]
fn pagination_links() {
    let html = pagination(5, 20, 200, "q=local&pagina=5").into_string();
    assert!(html.contains("Mostrando 81–100 de 200"));
    assert!(html.contains("rel=\"prev\" href=\"?q=local&amp;pagina=4\""));
    assert!(html.contains("rel=\"next\" href=\"?q=local&amp;pagina=6\""));
    // First page drops the parameter.
    assert!(html.contains("href=\"?q=local\""));
    assert!(html.contains("href=\"?q=local&amp;pagina=10\""));
    for p in [3, 4, 6, 7] {
        assert!(
            html.contains(&format!("href=\"?q=local&amp;pagina={p}\"")),
            "{p}"
        );
    }
    assert!(!html.contains("pagina=2\""));
    assert!(!html.contains("pagina=8\""));
    assert!(
        html.contains(
            "aria-current=\"page\"><span class=\"visually-hidden\">Página </span>5</span>"
        )
    );
    assert_eq!(html.matches('…').count(), 2);
}

#[test]
fn pagination_edges() {
    let first = pagination(1, 20, 45, "").into_string();
    assert!(first.contains("Mostrando 1–20 de 45"));
    assert!(first.contains("is-disabled\" aria-disabled=\"true\">‹ Anterior"));
    assert!(first.contains("rel=\"next\" href=\"?pagina=2\""));
    let last = pagination(9, 20, 45, "").into_string();
    assert!(
        last.contains("Mostrando 41–45 de 45"),
        "clamped to the last page"
    );
    assert!(last.contains("aria-disabled=\"true\">Siguiente ›"));
    let one = pagination(1, 20, 3, "").into_string();
    assert!(one.contains("Mostrando 1–3 de 3"));
    assert!(!one.contains("<nav"));
    assert_eq!(pagination(1, 20, 0, "").into_string(), "");
    let big = pagination(1, 25, 10_000, "").into_string();
    assert!(big.contains("Mostrando 1–25 de 10.000"));
}

#[test]
fn page_helpers() {
    assert_eq!(page_count(0, 20), 1);
    assert_eq!(page_count(41, 20), 3);
    assert_eq!(page_count(5, 0), 1);
    assert_eq!(page_from_query("pagina=3&q=x"), 3);
    assert_eq!(page_from_query("pagina=0"), 1);
    assert_eq!(page_from_query("pagina=abc"), 1);
    assert_eq!(page_from_query("pagina=18446744073709551615"), MAX_PAGE);
    assert_eq!(page_window(1, 1), vec![Some(1)]);
    assert_eq!(
        page_window(1, 10),
        vec![Some(1), Some(2), Some(3), None, Some(10)]
    );
}
