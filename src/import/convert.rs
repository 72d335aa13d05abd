//! Pure conversions from Django values to Arriendo's, trap by trap (`tables.md` §3). Each one
//! returns the value and, when it changed something, a sentence for the report.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use arriendo_events::{
    AdjustmentDate, AdjustmentIndex, AdjustmentRule, Money, Nit, Percentage, PolicyKind,
    PolizaState, add_months,
};

use super::source::{Row, SourceError};

/// Money in whole pesos: Django keeps 2 decimals, Arriendo rounds half up to pesos.
pub const RULE_CENTS: &str =
    "Valores con centavos se redondean al peso (mitad hacia arriba): Arriendo guarda pesos enteros";
pub const RULE_DATETIME: &str = "Fechas y horas guardadas en UTC se convierten a la hora de Bogotá (UTC−5) antes de tomar la fecha";

/// A money column: `None` when NULL or 0 (`0` means "not set" in screen-made rows, trap 13);
/// refused when negative or out of bounds.
pub fn money(row: &Row, column: &str) -> Result<Option<Money>, SourceError> {
    let Some(value) = row.opt_decimal(column, 2)? else {
        return Ok(None);
    };
    if value.is_zero() {
        return Ok(None);
    }
    if value.is_sign_negative() {
        return Err(row.problem(column, format!("valor negativo {value}")));
    }
    let money = Money::from_decimal_rounded(value)
        .map_err(|e| row.problem(column, format!("{value}: {e}")))?;
    if money > Money::MAX {
        return Err(row.problem(column, format!("{value}: supera el máximo de Arriendo")));
    }
    Ok(Some(money))
}

/// Whether the money column had cents that rounding dropped.
pub fn has_cents(row: &Row, column: &str) -> Result<bool, SourceError> {
    Ok(row
        .opt_decimal(column, 2)?
        .is_some_and(|v| v.fract() != Decimal::ZERO))
}

/// A percentage column (percent numbers, trap 2): `None` when NULL or 0.
pub fn percentage(row: &Row, column: &str) -> Result<Option<Percentage>, SourceError> {
    match row.opt_decimal(column, 2)? {
        None => Ok(None),
        Some(v) if v.is_zero() => Ok(None),
        Some(v) => Percentage::new(v)
            .map(Some)
            .map_err(|e| row.problem(column, format!("{v}: {e}"))),
    }
}

/// The local date in Bogotá of a UTC datetime (trap 17).
pub fn bogota_date(utc: NaiveDateTime) -> NaiveDate {
    utc.and_utc()
        .with_timezone(&chrono_tz::America::Bogota)
        .date_naive()
}

/// A NIT; a wrong check digit is dropped (kept in the report) rather than refusing the row.
pub fn nit(row: &Row) -> Result<(Nit, Option<String>), SourceError> {
    nit_in(row, "nit")
}

/// [`nit`] read from `column`.
pub fn nit_in(row: &Row, column: &str) -> Result<(Nit, Option<String>), SourceError> {
    let text = row.text(column)?;
    match Nit::parse(&text) {
        Ok(nit) => Ok((nit, None)),
        Err(arriendo_events::DomainError::WrongNitCheckDigit { number, expected }) => {
            let nit = Nit::parse(&number).map_err(|e| row.problem(column, e.to_string()))?;
            Ok((
                nit,
                Some(format!(
                    "NIT {text}: el dígito de verificación no corresponde (debería ser {expected}); se importa sin dígito"
                )),
            ))
        }
        Err(e) => Err(row.problem(column, e.to_string())),
    }
}

/// `gestion_poliza.tipo` → kind (trap 7: `Arrendamiento` is todo riesgo, `Poliza de
/// Arrendamiento` the lease guarantee). `other_name` names the `Otra` family.
pub fn poliza_kind(tipo: &str, other_name: &str) -> Option<PolicyKind> {
    match tipo.trim() {
        "RCE - Responsabilidad Civil" => Some(PolicyKind::Rce),
        "Cumplimiento" => Some(PolicyKind::Cumplimiento),
        "Poliza de Arrendamiento" => Some(PolicyKind::Arrendamiento),
        "Arrendamiento" => Some(PolicyKind::TodoRiesgo),
        "Otra" => Some(PolicyKind::Otra(other_name.to_string())),
        _ => None,
    }
}

pub fn poliza_state(estado: &str) -> Option<PolizaState> {
    match estado.trim() {
        "Aporte inicial" => Some(PolizaState::AporteInicial),
        "Actualización" => Some(PolizaState::Actualizacion),
        "Prórroga" => Some(PolizaState::Prorroga),
        _ => None,
    }
}

/// Whole months from `from` to `to` (0 when `to` is not later), rounded up so that the
/// required cover never shrinks.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let mut months: u32 = 0;
    while add_months(from, i32::try_from(months).unwrap_or(i32::MAX)) < to && months < 1_188 {
        months = months.saturating_add(1);
    }
    months
}

/// The adjustment rule of a contract or an Otro Sí: `IPC` + points, or `SALARIO_MINIMO`
/// (Arriendo applies the whole increase; Django adds the points to it, which Arriendo cannot
/// express), yearly on the anniversary or on a fixed date.
pub struct RuleParts<'a> {
    pub tipo: Option<&'a str>,
    pub points: Option<Decimal>,
    pub periodicity: Option<&'a str>,
    pub date: Option<NaiveDate>,
    pub start: NaiveDate,
}

pub fn adjustment_index(
    tipo: &str,
    points: Option<Decimal>,
) -> Result<(AdjustmentIndex, Option<String>), String> {
    let points = points.unwrap_or_default();
    match tipo {
        "IPC" => Ok((
            AdjustmentIndex::Ipc {
                points: Percentage::new(points).map_err(|e| format!("puntos {points}: {e}"))?,
            },
            None,
        )),
        "SALARIO_MINIMO" => Ok((
            AdjustmentIndex::SalarioMinimo {
                percentage_of_increase: Percentage::HUNDRED,
            },
            (!points.is_zero()).then(|| {
                format!(
                    "ajuste por salario mínimo con {points} puntos adicionales: Arriendo aplica el 100 % del incremento sin puntos; los ajustes futuros se calcularán sin ellos"
                )
            }),
        )),
        other => Err(format!("tipo de condición de ajuste desconocido {other:?}")),
    }
}

pub fn adjustment_date(
    periodicity: Option<&str>,
    date: Option<NaiveDate>,
    start: NaiveDate,
) -> (AdjustmentDate, Option<String>) {
    let fixed = |d: NaiveDate| {
        if d.month() == 2 && d.day() == 29 {
            (
                AdjustmentDate::FixedDate { month: 2, day: 28 },
                Some("fecha de ajuste 29 de febrero: se usa el 28 de febrero".to_string()),
            )
        } else if d.month() == start.month() && d.day() == start.day() {
            (AdjustmentDate::Anniversary, None)
        } else {
            (
                AdjustmentDate::FixedDate {
                    month: d.month(),
                    day: d.day(),
                },
                None,
            )
        }
    };
    match (periodicity, date) {
        (Some("FECHA_ESPECIFICA"), Some(d)) => {
            let (on, note) = fixed(d);
            (
                on,
                note.or(Some(format!(
                    "fecha específica de ajuste {}: Arriendo la repite cada año en ese día y mes",
                    arriendo_events::format_date(d)
                ))),
            )
        }
        (Some("FECHA_ESPECIFICA"), None) => (
            AdjustmentDate::Anniversary,
            Some("fecha específica de ajuste vacía: se ajusta en el aniversario del inicio".into()),
        ),
        (_, Some(d)) => fixed(d),
        (_, None) => (AdjustmentDate::Anniversary, None),
    }
}

/// The whole rule, or `None` without a tipo (no indexation).
pub fn adjustment_rule(
    parts: RuleParts<'_>,
) -> Result<(Option<AdjustmentRule>, Vec<String>), String> {
    let Some(tipo) = parts.tipo else {
        return Ok((None, vec![]));
    };
    let (index, note) = adjustment_index(tipo, parts.points)?;
    let (on, date_note) = adjustment_date(parts.periodicity, parts.date, parts.start);
    Ok((
        Some(AdjustmentRule { index, on }),
        note.into_iter().chain(date_note).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::source::{Val, row_for_tests};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn money_reads_integer_and_real_and_rounds_to_pesos() {
        let row = row_for_tests(
            "gestion_calculoipc",
            6,
            &[
                ("nuevo_canon", Val::Real(8_326_859.84)),
                ("canon_anterior", Val::Int(7_482_800)),
                ("cero", Val::Int(0)),
            ],
        );
        assert_eq!(
            money(&row, "nuevo_canon").unwrap(),
            Some(Money::from_pesos(8_326_860).unwrap())
        );
        assert!(has_cents(&row, "nuevo_canon").unwrap());
        assert_eq!(
            money(&row, "canon_anterior").unwrap(),
            Some(Money::from_pesos(7_482_800).unwrap())
        );
        assert_eq!(money(&row, "cero").unwrap(), None);
        assert_eq!(money(&row, "ausente").unwrap(), None);
    }

    #[test]
    fn utc_datetimes_become_bogota_dates() {
        // trap 17: 2026-12-01 03:00 UTC is 30/11/2026 in Bogotá; "date in a datetime" rows sit at 05:00.
        let t = NaiveDateTime::parse_from_str("2026-12-01 03:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(bogota_date(t), d(2026, 11, 30));
        let t = NaiveDateTime::parse_from_str("2026-07-05 05:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(bogota_date(t), d(2026, 7, 5));
    }

    #[test]
    fn policy_type_names_are_swapped_as_the_app_does() {
        assert_eq!(
            poliza_kind("Arrendamiento", "x"),
            Some(PolicyKind::TodoRiesgo)
        );
        assert_eq!(
            poliza_kind("Poliza de Arrendamiento", "x"),
            Some(PolicyKind::Arrendamiento)
        );
    }

    #[test]
    fn months_between_rounds_up() {
        assert_eq!(months_between(d(2027, 7, 1), d(2028, 7, 1)), 12);
        assert_eq!(months_between(d(2026, 3, 1), d(2022, 3, 1)), 0);
        assert_eq!(months_between(d(2026, 3, 1), d(2026, 3, 2)), 1);
    }

    #[test]
    fn specific_dates_and_anniversaries() {
        let start = d(2022, 7, 1);
        let (on, note) = adjustment_date(Some("FECHA_ESPECIFICA"), Some(d(2023, 1, 1)), start);
        assert_eq!(on, AdjustmentDate::FixedDate { month: 1, day: 1 });
        assert!(note.is_some());
        let (on, _) = adjustment_date(Some("ANUAL"), Some(d(2022, 7, 1)), start);
        assert_eq!(on, AdjustmentDate::Anniversary);
    }
}
