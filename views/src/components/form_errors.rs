//! A submitted form's validation messages, in Spanish, and the summary box that lists them at the top
//! of the form, each line linking to its field (see [`super::forms`] for the fields themselves).

use maud::{Markup, html};

use super::forms::field_id;

/// A validation message for one field (`field` is the input's `name`; empty for the whole form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every validation message of a submitted form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    errors: Vec<FieldError>,
}

impl FormErrors {
    pub fn new() -> FormErrors {
        FormErrors::default()
    }

    /// Adds a message for a field (use `""` for a message about the whole form).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// The first message for a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.errors.iter()
    }
}

impl FromIterator<FieldError> for FormErrors {
    fn from_iter<T: IntoIterator<Item = FieldError>>(iter: T) -> FormErrors {
        FormErrors {
            errors: iter.into_iter().collect(),
        }
    }
}

/// A box at the top of a form listing every error, each linking to its field. Renders nothing
/// when there are no errors. Put it first in the form.
pub fn error_summary(errors: &FormErrors) -> Markup {
    error_summary_with(errors, |_| None)
}

/// Like [`error_summary`], each line led by its field's label, so the summary reads on its own:
/// "Fecha de terminación: la fecha final debe ser posterior a la inicial."
pub fn error_summary_with(errors: &FormErrors, label: impl Fn(&str) -> Option<String>) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="resumen-errores" tabindex="-1" {
                h2 #resumen-errores {
                    @if errors.len() == 1 { "Hay un error en el formulario" }
                    @else { "Hay " (errors.len()) " errores en el formulario" }
                }
                ul {
                    @for e in errors.iter() {
                        li {
                            @if e.field.is_empty() { (e.message) }
                            @else { a href={ "#" (field_id(&e.field)) } { (summary_line(label(&e.field).as_deref(), &e.message)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The label of each field name of a form, for [`error_summary_with`]: `labels(POLIZA_LABELS)`.
pub fn labels(table: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        table
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, label)| (*label).to_string())
    }
}

/// `Label: message` with the message's first letter lowered (it continues the sentence).
pub fn summary_line(label: Option<&str>, message: &str) -> String {
    match label {
        Some(label) => {
            let mut chars = message.chars();
            let rest: String = match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => String::new(),
            };
            format!("{label}: {rest}")
        }
        None => message.to_string(),
    }
}
