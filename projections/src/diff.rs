//! What an event changed, field by field: the aggregate's state before and after it, compared as
//! JSON leaves (`terms.preaviso_days: 60 → 90`). Shown to auditors on each event's page.

use serde_json::Value;

/// One leaf that differs; `None` where the field did not exist or was empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// `terms.preaviso_days`, `otro_si[0].status`.
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Bookkeeping of the aggregate (edit versions), not a fact of the contract.
const SKIPPED: &[&str] = &["versions"];

/// Every leaf that differs between `before` and `after`, in document order.
pub fn changed_fields(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", Some(before), Some(after), &mut out);
    out
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<FieldChange>) {
    if SKIPPED.contains(&path) {
        return;
    }
    let before = before.filter(|v| !v.is_null());
    let after = after.filter(|v| !v.is_null());
    let is_container = |v: Option<&Value>| object(v).is_some() || array(v).is_some();
    if object(before).is_some() || object(after).is_some() {
        let mut keys: Vec<&String> = object(before)
            .into_iter()
            .chain(object(after))
            .flat_map(|o| o.keys())
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            walk(
                &child,
                object(before).and_then(|o| o.get(key)),
                object(after).and_then(|o| o.get(key)),
                out,
            );
        }
        if !(is_container(before) && is_container(after)) {
            // An object replaced a scalar (or the reverse): the scalar side is a change too.
            let scalar = |v: Option<&Value>| v.filter(|v| !is_container(Some(v))).map(render);
            if scalar(before).is_some() || scalar(after).is_some() {
                out.push(FieldChange {
                    path: path.to_string(),
                    before: scalar(before),
                    after: scalar(after),
                });
            }
        }
        return;
    }
    if array(before).is_some() || array(after).is_some() {
        let len = |v: Option<&Value>| array(v).map_or(0, Vec::len);
        for i in 0..len(before).max(len(after)) {
            walk(
                &format!("{path}[{i}]"),
                array(before).and_then(|a| a.get(i)),
                array(after).and_then(|a| a.get(i)),
                out,
            );
        }
        return;
    }
    if before != after {
        out.push(FieldChange {
            path: path.to_string(),
            before: before.map(render),
            after: after.map(render),
        });
    }
}

fn object(v: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn array(v: Option<&Value>) -> Option<&Vec<Value>> {
    v.and_then(Value::as_array)
}

fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "sí".into(),
        Value::Bool(false) => "no".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_term_edit_shows_each_changed_field_and_nothing_else() {
        let before = json!({"terms": {"preaviso_days": 60, "number": "CT-1", "automatic_extension": false},
            "versions": {"terms": 1}, "otro_si": []});
        let after = json!({"terms": {"preaviso_days": 90, "number": "CT-1", "automatic_extension": true},
            "versions": {"terms": 2}, "otro_si": [{"number": 1, "status": "Borrador"}]});
        let changes = changed_fields(&before, &after);
        let lines: Vec<String> = changes
            .iter()
            .map(|c| format!("{}: {:?} → {:?}", c.path, c.before, c.after))
            .collect();
        assert_eq!(
            lines,
            [
                "otro_si[0].number: None → Some(\"1\")",
                "otro_si[0].status: None → Some(\"Borrador\")",
                "terms.automatic_extension: Some(\"no\") → Some(\"sí\")",
                "terms.preaviso_days: Some(\"60\") → Some(\"90\")",
            ]
        );
    }

    #[test]
    fn a_creation_lists_every_field_and_a_removal_empties_them() {
        let after = json!({"terms": {"canon": "12500000", "grace_period": null}});
        let created = changed_fields(&json!({"terms": null}), &after);
        assert_eq!(created.len(), 1, "null fields are not changes");
        assert_eq!(created[0].after.as_deref(), Some("12500000"));
        let removed = changed_fields(&after, &json!({"terms": null}));
        assert_eq!(removed[0].before.as_deref(), Some("12500000"));
        assert_eq!(removed[0].after, None);
    }

    #[test]
    fn a_scalar_replaced_by_an_object_is_one_change_plus_the_new_leaves() {
        let changes = changed_fields(
            &json!({"modality": "Fijo"}),
            &json!({"modality": {"Hibrido": {"minimum": "1"}}}),
        );
        assert!(
            changes
                .iter()
                .any(|c| c.path == "modality" && c.before.as_deref() == Some("Fijo"))
        );
        assert!(changes.iter().any(|c| c.path == "modality.Hibrido.minimum"));
    }
}
