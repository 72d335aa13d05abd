//! The text the lists search in, folded so people find what they mean however they type it:
//! lower case, without Spanish accents («exito» finds «Éxito», «pena» finds «Peña»), and a NIT also
//! as its digits alone («900.123.456-8» and «9001234568» find 900123456-8). The same folding is
//! applied to what is typed (`queries::filters::like_pattern`).

/// Lower case with the Spanish accents and the tilde removed.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// A NIT's digits alone (`900123456-8` → `9001234568`).
pub fn digits(nit: &str) -> String {
    nit.chars().filter(char::is_ascii_digit).collect()
}

/// The search column of a record: its parts folded, and each NIT also as its digits.
pub fn key(parts: &[&str], nits: &[&str]) -> String {
    let mut all: Vec<String> = parts.iter().map(|p| fold(p)).collect();
    all.extend(nits.iter().map(|n| fold(n)));
    all.extend(nits.iter().map(|n| digits(n)));
    all.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_nit_punctuation_do_not_matter() {
        assert_eq!(fold("Éxito Ñandú CAFÉ"), "exito nandu cafe");
        let k = key(&["CT-2024-001", "Almacenes Éxito S.A."], &["900123456-8"]);
        assert!(k.contains("exito"));
        assert!(k.contains("900123456-8") && k.contains("9001234568"));
    }
}
