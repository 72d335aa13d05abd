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

    /// What a person typed in a search box, over the folded `search` column: case and accents
    /// ignored, `%` and `_` taken literally, and a NIT typed with dots found without them.
    pub fn search(&mut self, typed: &str) {
        self.search_in("search", typed);
    }

    /// [`Filters::search`] over another folded text: `folded` is an SQL expression written by the
    /// code (a column, or a concatenation of folded columns), never by the user.
    pub fn search_in(&mut self, folded: &str, typed: &str) {
        if typed.trim().is_empty() {
            return;
        }
        let undotted: String = typed.chars().filter(|c| *c != '.').collect();
        self.add(
            &format!("({folded} LIKE ? ESCAPE '\\' OR {folded} LIKE ? ESCAPE '\\')"),
            vec![
                Bind::Text(like_pattern(typed)),
                Bind::Text(like_pattern(&undotted)),
            ],
        );
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

/// `%text%` for a LIKE on the folded search column (lower case, no accents), with LIKE's
/// wildcards and `\` escaped: use it with `ESCAPE '\'` (as [`Filters::search`] does).
pub fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in crate::read_models::search::fold(text.trim()).chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
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
        assert_eq!(like_pattern(" Café_50% "), "%cafe\\_50\\%%");
        assert_eq!(like_pattern("a\\b"), "%a\\\\b%");
    }

    #[test]
    fn a_search_finds_a_nit_typed_with_dots() {
        let mut f = Filters::new();
        f.search("  ");
        assert_eq!(f.where_sql(), "");
        f.search("900.123.456-8");
        assert_eq!(
            f.where_sql(),
            " WHERE (search LIKE $1 ESCAPE '\\' OR search LIKE $2 ESCAPE '\\')"
        );
        assert_eq!(
            f.binds(),
            [
                Bind::Text("%900.123.456-8%".into()),
                Bind::Text("%900123456-8%".into())
            ]
        );
    }
}
