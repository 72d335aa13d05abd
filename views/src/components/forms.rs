//! Form fields with labels, hints, required markers, kept values and Spanish error messages.
//!
//! Build a [`Field`] and hand it to a renderer:
//! ```
//! use arriendo_views::components::{Field, FormErrors, money_field};
//! let mut errors = FormErrors::new();
//! errors.add("canon", "El canon no puede ser negativo.");
//! let html = money_field(&Field::new("canon", "Canon mensual").value("-1.000").required().errors(&errors));
//! assert!(html.into_string().contains("El canon no puede ser negativo."));
//! ```
//! Ids: the control is `campo-<name>`, its hint `campo-<name>-ayuda`, its error `campo-<name>-error`;
//! the control's `aria-describedby` names both, and `aria-invalid="true"` marks an error.

use maud::{Markup, html};

pub use super::form_actions::{
    csrf_field, fieldset, form_actions, post_button, required_note, submit_button,
};
pub use super::form_errors::{
    FieldError, FormErrors, error_summary, error_summary_with, labels, summary_line,
};

/// A `<select>` option: `(value, label)`.
pub type SelectOption<'a> = (&'a str, &'a str);

/// What every field needs. Build with [`Field::new`] and the chained setters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Field<'a> {
    /// The `name` sent with the form.
    pub name: &'a str,
    /// The visible label.
    pub label: &'a str,
    /// The current value: what the user typed (on error) or the stored value (when editing).
    pub value: &'a str,
    /// The message to show under the field.
    pub error: Option<&'a str>,
    /// Adds `required` and a `*` marker.
    pub required: bool,
    /// A help line under the label.
    pub hint: Option<&'a str>,
    /// Placeholder text (for selects: the label of the empty first option).
    pub placeholder: Option<&'a str>,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<&'a str>,
    /// The `type` of a [`text_field`]: `text` (default), `email`, `password`, `search`, `url`, `tel`.
    pub input_type: Option<&'a str>,
    pub disabled: bool,
    pub readonly: bool,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str) -> Field<'a> {
        Field {
            name,
            label,
            ..Field::default()
        }
    }
    pub fn value(mut self, value: &'a str) -> Self {
        self.value = value;
        self
    }
    pub fn error(mut self, message: Option<&'a str>) -> Self {
        self.error = message;
        self
    }
    /// Takes this field's message (by name) from the form's errors.
    pub fn errors(mut self, errors: &'a FormErrors) -> Self {
        self.error = errors.get(self.name);
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn placeholder(mut self, placeholder: &'a str) -> Self {
        self.placeholder = Some(placeholder);
        self
    }
    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }
    pub fn input_type(mut self, input_type: &'a str) -> Self {
        self.input_type = Some(input_type);
        self
    }
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }
    pub fn readonly(mut self) -> Self {
        self.readonly = true;
        self
    }

    /// The control's id: `campo-<name>` with anything but letters, digits, `-` and `_` as `-`.
    pub fn id(&self) -> String {
        field_id(self.name)
    }
    fn hint_id(&self) -> String {
        format!("{}-ayuda", self.id())
    }
    fn error_id(&self) -> String {
        format!("{}-error", self.id())
    }
    fn describedby(&self) -> Option<String> {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(self.hint_id());
        }
        if self.error.is_some() {
            ids.push(self.error_id());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
    fn invalid(&self) -> Option<&'static str> {
        self.error.map(|_| "true")
    }
}

/// The id of the control for a field name.
pub fn field_id(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("campo-{clean}")
}

fn label(f: &Field<'_>) -> Markup {
    html! {
        label.field-label for=(f.id()) {
            (f.label)
            @if f.required {
                span.req aria-hidden="true" { " *" }
            }
        }
    }
}

fn hint(f: &Field<'_>) -> Markup {
    html! {
        @if let Some(h) = f.hint { p.field-hint id=(f.hint_id()) { (h) } }
    }
}

fn error(f: &Field<'_>) -> Markup {
    html! {
        @if let Some(e) = f.error {
            p.field-error id=(f.error_id()) {
                span.visually-hidden { "Error: " }
                (e)
            }
        }
    }
}

fn wrapper(f: &Field<'_>, extra_class: &str, control: Markup) -> Markup {
    html! {
        div class={ "field " (extra_class) @if f.error.is_some() { " has-error" } } {
            (label(f))
            (hint(f))
            (control)
            (error(f))
        }
    }
}

fn input(
    f: &Field<'_>,
    input_type: &str,
    inputmode: Option<&str>,
    extra: InputExtra<'_>,
) -> Markup {
    html! {
        input.input id=(f.id()) name=(f.name) type=(input_type) value=(f.value)
            inputmode=[inputmode]
            placeholder=[f.placeholder]
            autocomplete=[f.autocomplete]
            aria-describedby=[f.describedby()]
            aria-invalid=[f.invalid()]
            required[f.required]
            disabled[f.disabled]
            readonly[f.readonly]
            min=[extra.min]
            max=[extra.max]
            step=[extra.step]
            pattern=[extra.pattern]
            data-money[extra.money];
    }
}

#[derive(Default, Clone, Copy)]
struct InputExtra<'a> {
    min: Option<&'a str>,
    max: Option<&'a str>,
    step: Option<&'a str>,
    pattern: Option<&'a str>,
    money: bool,
}

/// A text input (`type` from [`Field::input_type`], `text` by default).
pub fn text_field(f: &Field<'_>) -> Markup {
    let t = f.input_type.unwrap_or("text");
    wrapper(f, "field-text", input(f, t, None, InputExtra::default()))
}

/// A money input in pesos: `type="text" inputmode="numeric" data-money`, a `$` before it.
/// The script groups thousands as the user types (`1.234.567`); without it the server still
/// accepts `1234567`, `$1.234.567` or `1.234.567,50`. Give the value as typed, or
/// [`crate::format::money_input`] of the stored value.
pub fn money_field(f: &Field<'_>) -> Markup {
    let extra = InputExtra {
        money: true,
        ..InputExtra::default()
    };
    let f = Field {
        autocomplete: f.autocomplete.or(Some("off")),
        ..*f
    };
    wrapper(
        &f,
        "field-money",
        html! {
            div.input-affix {
                span.affix.affix-before aria-hidden="true" { "$" }
                (input(&f, "text", Some("numeric"), extra))
            }
        },
    )
}

/// A percentage input (`5,2`), with `%` after it: `type="text" inputmode="decimal"`.
pub fn percent_field(f: &Field<'_>) -> Markup {
    wrapper(
        f,
        "field-percent",
        html! {
            div.input-affix {
                (input(f, "text", Some("decimal"), InputExtra::default()))
                span.affix.affix-after aria-hidden="true" { "%" }
            }
        },
    )
}

/// A whole-number input (months, days): `type="number"` with optional bounds.
pub fn number_field(f: &Field<'_>, min: Option<i64>, max: Option<i64>) -> Markup {
    let min = min.map(|m| m.to_string());
    let max = max.map(|m| m.to_string());
    let extra = InputExtra {
        min: min.as_deref(),
        max: max.as_deref(),
        step: Some("1"),
        ..InputExtra::default()
    };
    wrapper(
        f,
        "field-number",
        input(f, "number", Some("numeric"), extra),
    )
}

/// What a date field accepts, as its `pattern`: `31/12/2025`, `31-12-2025` or ISO `2025-12-31`
/// (what the server's `parse_date` reads). No character classes: browsers compile patterns with
/// the `v` flag, where `[/-]` is a syntax error.
pub const DATE_PATTERN: &str = r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}";

/// A date typed as `dd/mm/aaaa`, whatever the browser's language: a text input with a numeric
/// keyboard, the format as placeholder and in the hint, and a `pattern` the browser checks before
/// sending (the server parses it again). A stored value given as ISO (`2025-12-31`, from
/// [`crate::format::date_input`]) is shown as `31/12/2025`. No script, no native picker: a native
/// `type="date"` reads `mm/dd/yyyy` in an English browser.
pub fn date_field(f: &Field<'_>) -> Markup {
    let shown = chrono::NaiveDate::parse_from_str(f.value.trim(), "%Y-%m-%d")
        .map(crate::format::date)
        .unwrap_or_else(|_| f.value.to_string());
    let hint = match f.hint {
        Some(h) => format!("{h} Formato dd/mm/aaaa."),
        None => "Formato dd/mm/aaaa.".to_string(),
    };
    let f = Field {
        value: &shown,
        hint: Some(&hint),
        placeholder: f.placeholder.or(Some("dd/mm/aaaa")),
        autocomplete: f.autocomplete.or(Some("off")),
        ..*f
    };
    let extra = InputExtra {
        pattern: Some(DATE_PATTERN),
        ..InputExtra::default()
    };
    wrapper(&f, "field-date", input(&f, "text", Some("numeric"), extra))
}

/// A `<select>`; the option whose value equals the field's value is selected. With a
/// placeholder, an empty first option carries it.
pub fn select_field(f: &Field<'_>, options: &[SelectOption<'_>]) -> Markup {
    wrapper(
        f,
        "field-select",
        html! {
            select.input id=(f.id()) name=(f.name)
                aria-describedby=[f.describedby()]
                aria-invalid=[f.invalid()]
                required[f.required]
                disabled[f.disabled] {
                @if let Some(p) = f.placeholder {
                    option value="" selected[f.value.is_empty()] { (p) }
                }
                @for (value, text) in options {
                    option value=(value) selected[*value == f.value] { (text) }
                }
            }
        },
    )
}

/// A checkbox with its label beside it; it sends `value` (or `true` when the field's value is empty).
pub fn checkbox(f: &Field<'_>, checked: bool) -> Markup {
    let value = if f.value.is_empty() { "true" } else { f.value };
    html! {
        div class={ "field field-check" @if f.error.is_some() { " has-error" } } {
            div.check-row {
                input.check id=(f.id()) name=(f.name) type="checkbox" value=(value)
                    checked[checked]
                    aria-describedby=[f.describedby()]
                    aria-invalid=[f.invalid()]
                    required[f.required]
                    disabled[f.disabled];
                (label(f))
            }
            (hint(f))
            (error(f))
        }
    }
}

/// A multi-line text area.
pub fn textarea(f: &Field<'_>, rows: u32) -> Markup {
    wrapper(
        f,
        "field-textarea",
        html! {
            textarea.input id=(f.id()) name=(f.name) rows=(rows)
                placeholder=[f.placeholder]
                aria-describedby=[f.describedby()]
                aria-invalid=[f.invalid()]
                required[f.required]
                disabled[f.disabled]
                readonly[f.readonly] { (f.value) }
        },
    )
}

#[cfg(test)]
mod tests;
