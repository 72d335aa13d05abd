use super::*;

#[test]
fn money_field_keeps_value_and_shows_error() {
    let mut errors = FormErrors::new();
    errors.add("canon", "El canon debe ser mayor que cero.");
    let html = money_field(
        &Field::new("canon", "Canon mensual")
            .value("1.234.567")
            .required()
            .errors(&errors),
    )
    .into_string();
    assert!(html.contains("<label class=\"field-label\" for=\"campo-canon\">Canon mensual"));
    assert!(html.contains("<span class=\"req\" aria-hidden=\"true\"> *</span>"));
    assert!(html.contains(
        "id=\"campo-canon\" name=\"canon\" type=\"text\" value=\"1.234.567\" inputmode=\"numeric\""
    ));
    assert!(html.contains("autocomplete=\"off\""));
    assert!(html.contains("aria-describedby=\"campo-canon-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains(" required"));
    assert!(html.contains(" data-money"));
    assert!(html.contains("<p class=\"field-error\" id=\"campo-canon-error\">"));
    assert!(html.contains("El canon debe ser mayor que cero."));
    assert!(html.contains("has-error"));
    assert!(html.contains(">$</span>"));
}

#[test]
fn field_without_error_is_clean() {
    let html = text_field(&Field::new("numero", "Número").value("C-001")).into_string();
    assert!(html.contains("type=\"text\" value=\"C-001\""));
    assert!(!html.contains("aria-invalid"));
    assert!(!html.contains("aria-describedby"));
    assert!(!html.contains("required"));
    assert!(!html.contains("has-error"));
}

#[test]
fn hint_and_error_both_described() {
    let html = text_field(
        &Field::new("nit", "NIT")
            .hint("Sin dígito de verificación")
            .error(Some("NIT inválido")),
    )
    .into_string();
    assert!(html.contains("aria-describedby=\"campo-nit-ayuda campo-nit-error\""));
    assert!(html.contains("<p class=\"field-hint\" id=\"campo-nit-ayuda\">"));
}

#[test]
fn values_are_escaped() {
    let html = text_field(&Field::new("q", "Buscar").value("\"><script>")).into_string();
    assert!(!html.contains("<script>"));
    assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;\""));
}

#[test]
fn email_type() {
    let html = text_field(&Field::new("email", "Correo").input_type("email")).into_string();
    assert!(html.contains("type=\"email\""));
}

#[test]
fn date_fields_read_dd_mm_aaaa_in_any_browser_language() {
    let html = date_field(&Field::new("fecha_inicio", "Fecha de inicio").value("2025-01-31"))
        .into_string();
    assert!(html.contains("type=\"text\" value=\"31/01/2025\" inputmode=\"numeric\""));
    assert!(html.contains("placeholder=\"dd/mm/aaaa\""));
    assert!(html.contains("Formato dd/mm/aaaa."));
    assert!(html.contains("pattern=\"\\d{1,2}/\\d{1,2}/\\d{4}|"));
    assert!(!html.contains("type=\"date\""));
    // What the user typed comes back as typed; a hint of the page's own goes first.
    let typed = date_field(
        &Field::new("hasta", "Hasta")
            .value("31/2/2025")
            .hint("Opcional."),
    )
    .into_string();
    assert!(typed.contains("value=\"31/2/2025\""));
    assert!(typed.contains("Opcional. Formato dd/mm/aaaa."));
}

#[test]
fn number_and_percent_fields() {
    let html = number_field(
        &Field::new("duracion", "Duración (meses)").value("12"),
        Some(1),
        Some(600),
    )
    .into_string();
    assert!(html.contains("type=\"number\" value=\"12\""));
    assert!(html.contains("min=\"1\" max=\"600\" step=\"1\""));
    let html =
        percent_field(&Field::new("porcentaje", "Porcentaje de ventas").value("5,2")).into_string();
    assert!(html.contains("inputmode=\"decimal\""));
    assert!(html.contains(">%</span>"));
}

#[test]
fn select_marks_selected() {
    let html = select_field(
        &Field::new("modalidad", "Modalidad de pago")
            .value("hibrido")
            .placeholder("Seleccione…")
            .required(),
        &[
            ("fijo", "Fijo"),
            ("variable", "Variable puro"),
            ("hibrido", "Híbrido"),
        ],
    )
    .into_string();
    assert!(html.contains("<option value=\"\">Seleccione…</option>"));
    assert!(html.contains("<option value=\"hibrido\" selected>Híbrido</option>"));
    assert!(html.contains("<option value=\"fijo\">Fijo</option>"));
    assert!(
        html.contains(
            "<select class=\"input\" id=\"campo-modalidad\" name=\"modalidad\" required>"
        )
    );
}

#[test]
fn checkbox_and_textarea() {
    let html = checkbox(&Field::new("prorroga", "Prórroga automática"), true).into_string();
    assert!(html.contains("type=\"checkbox\" value=\"true\" checked"));
    assert!(html.contains("for=\"campo-prorroga\""));
    let html = checkbox(&Field::new("prorroga", "Prórroga automática"), false).into_string();
    assert!(!html.contains("checked"));
    let html = textarea(
        &Field::new("objeto", "Objeto").value("Local <comercial>"),
        4,
    )
    .into_string();
    assert!(html.contains("rows=\"4\">Local &lt;comercial&gt;</textarea>"));
}

#[test]
fn ids_are_sanitized() {
    assert_eq!(field_id("polizas[0].valor"), "campo-polizas-0--valor");
}
