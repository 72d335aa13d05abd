//! A small builder for list queries with optional filters: whitelisted SQL fragments with `?`
//! marks numbered into `$n` placeholders, and their values bound in order.

/// A value bound to a placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Bool(bool),
}

/// `WHERE` conditions and their values, in order.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Filters {
    pub fn new() -> Filters {
        Filters::default()
    }

    /// Adds a condition written by the code (never by the user), with one `?` per value.
    pub fn add(&mut self, clause: &str, values: Vec<Bind>) {
        let mut out = String::new();
        let mut rest = clause;
        let mut next = self.binds.len() + 1;
        while let Some(i) = rest.find('?') {
            out.push_str(&rest[..i]);
            out.push_str(&format!("${next}"));
            next += 1;
            rest = &rest[i + 1..];
        }
        out.push_str(rest);
        self.clauses.push(out);
        self.binds.extend(values);
    }

    /// ` WHERE a AND b`, or nothing.
    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }

    /// The next placeholders after the filters' own: ` LIMIT $n OFFSET $n+1`.
    pub fn limit_sql(&self) -> String {
        let n = self.binds.len() + 1;
        format!(" LIMIT ${n} OFFSET ${}", n + 1)
    }
}

/// `%text%` for a LIKE on the lower-case search column, with LIKE's wildcards taken literally
/// where the engines allow it (they are rare in names; `%` and `_` are simply removed).
pub fn like_pattern(text: &str) -> String {
    let cleaned: String = crate::read_models::search::fold(text.trim())
        .chars()
        .filter(|c| *c != '%' && *c != '_')
        .collect();
    format!("%{cleaned}%")
}

/// Binds every value of `$binds` (a `&[Bind]`) to the query `$q`.
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                $crate::queries::filters::Bind::Text(s) => q.bind(s.clone()),
                $crate::queries::filters::Bind::Int(i) => q.bind(*i),
                $crate::queries::filters::Bind::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

/// Rows per page in the lists.
pub const PER_PAGE: u64 = 25;

/// `(limit, offset)` for a 1-based page.
pub fn limit_offset(page: u64) -> (i64, i64) {
    let per = i64::try_from(PER_PAGE).unwrap_or(25);
    let page = i64::try_from(page.max(1)).unwrap_or(1);
    (per, (page - 1).saturating_mul(per))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_in_order() {
        let mut f = Filters::new();
        f.add("kind = ?", vec![Bind::Text("a".into())]);
        f.add("(x = ? OR y = ?)", vec![Bind::Int(1), Bind::Int(2)]);
        assert_eq!(f.where_sql(), " WHERE kind = $1 AND (x = $2 OR y = $3)");
        assert_eq!(f.limit_sql(), " LIMIT $4 OFFSET $5");
        assert_eq!(like_pattern(" Café_% "), "%cafe%");
    }
}
