//! The one error type of the write side. Every message is Spanish: it is shown to the user as is.

use thiserror::Error;

use crate::values::thousands;

/// Every refusal of the domain, with the Spanish sentence the user reads.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    // ----- values -----
    #[error("el valor no puede ser negativo")]
    NegativeAmount,
    #[error("«{0}» no es un valor en pesos válido")]
    InvalidMoney(String),
    #[error("el valor no puede superar $ 1.000.000.000.000.000")]
    AmountTooLarge,
    #[error("«{0}» no es un porcentaje válido")]
    InvalidPercentage(String),
    #[error("el porcentaje no puede ser negativo")]
    NegativePercentage,
    #[error("el porcentaje no puede ser mayor que 100 %")]
    PercentageAbove100,
    #[error(
        "«{0}» no es un NIT válido: use solo dígitos y, si quiere, el dígito de verificación después de un guion"
    )]
    InvalidNit(String),
    #[error("el dígito de verificación del NIT {number} debe ser {expected}")]
    WrongNitCheckDigit { number: String, expected: u8 },
    #[error("«{0}» no es un correo electrónico válido")]
    InvalidEmail(String),
    #[error("«{0}» no es un área válida en m²")]
    InvalidArea(String),
    #[error("el área debe ser mayor que cero")]
    NonPositiveArea,
    #[error("«{0}» no es una fecha válida (use dd/mm/aaaa)")]
    InvalidDate(String),
    #[error("la fecha final debe ser posterior a la inicial")]
    EndNotAfterStart,
    #[error("el mes debe estar entre 1 y 12")]
    InvalidMonth,
    #[error("el año {0} está fuera del rango permitido")]
    InvalidYear(i32),
    #[error("el campo «{0}» es obligatorio")]
    Required(&'static str),
    #[error("el archivo está vacío")]
    EmptyFile,
    #[error("el archivo supera el tamaño máximo de {}", crate::format_size(*max_bytes))]
    FileTooLarge { max_bytes: u64 },
    #[error("la huella SHA-256 del archivo no es válida")]
    InvalidDigest,

    // ----- bounds (see `values::bounds`); `field` is the Spanish name of the field -----
    #[error("el campo «{field}» admite como máximo {} caracteres", thousands(*max as u64))]
    TextTooLong { field: &'static str, max: usize },
    #[error("el campo «{field}» contiene caracteres de control no permitidos")]
    ControlCharacter { field: &'static str },
    #[error("el campo «{field}» no puede superar {} días", thousands(*max))]
    TooManyDays { field: &'static str, max: u32 },
    #[error("el campo «{field}» no puede superar {} meses (99 años)", thousands(*max))]
    TooManyMonths { field: &'static str, max: u32 },
    #[error(
        "la fecha {date} del campo «{field}» está fuera del rango permitido (01/01/1900 a 31/12/2200)"
    )]
    DateOutOfRange { field: &'static str, date: String },
    #[error("la fecha {0} está fuera del rango permitido (01/01/1900 a 31/12/2200)")]
    DateOutsideRange(String),
    #[error("el campo «{field}» no puede superar $ 1.000.000.000.000.000")]
    AmountOutOfRange { field: &'static str },
    #[error("el área no puede superar 10.000.000 m²")]
    AreaTooLarge,
    #[error("el campo «{field}» está fuera del rango permitido")]
    OutOfRange { field: &'static str },

    // ----- roles -----
    #[error("su rol de auditor solo permite consultar")]
    AuditorReadOnly,
    #[error("solo un administrador puede {0}")]
    AdminOnly(&'static str),

    // ----- tercero / local -----
    #[error("el tercero con NIT {0} ya fue registrado")]
    TerceroAlreadyRegistered(String),
    #[error("el tercero no existe")]
    TerceroNotFound,
    #[error("el local «{0}» ya fue registrado")]
    LocalAlreadyRegistered(String),
    #[error("el local no existe")]
    LocalNotFound,

    // ----- catálogos (tipos de contrato y de servicio, cláusulas) -----
    /// `what`: «un tipo de contrato llamado», «una cláusula llamada».
    #[error("ya existe {what} «{name}»")]
    CatalogNameTaken { what: &'static str, name: String },
    #[error("esa entrada del catálogo ya fue registrada")]
    CatalogEntryExists,
    #[error("el tipo no existe")]
    TypeNotFound,
    #[error("la cláusula no existe")]
    ClauseNotFound,
    #[error("el {0} indicado no existe")]
    ScopeTypeNotFound(&'static str),
    #[error("la cláusula {0} está repetida en la lista")]
    DuplicateClause(String),
    #[error("la lista admite como máximo {max} cláusulas")]
    TooManyClauses { max: usize },

    // ----- contrato -----
    #[error("el contrato {0} ya existe")]
    ContractAlreadyExists(String),
    #[error("el contrato no existe")]
    ContractNotFound,
    #[error("el contrato {0} ya fue terminado")]
    ContractTerminated(String),
    #[error("el contrato {0} fue eliminado")]
    ContractDeleted(String),
    #[error("la duración inicial del contrato debe ser de al menos un mes")]
    ZeroDuration,
    #[error("el canon debe ser mayor que cero")]
    ZeroCanon,
    #[error("el porcentaje de ventas debe ser mayor que cero")]
    ZeroSalesPercentage,
    #[error("los contratos variables e híbridos requieren el día de entrega del informe de ventas")]
    SalesReportDueDayRequired,
    #[error("el día de entrega del informe de ventas debe estar entre 1 y 28")]
    InvalidSalesReportDueDay,
    #[error("la fecha de ajuste {day}/{month} no existe")]
    InvalidAdjustmentDate { month: u32, day: u32 },
    #[error("el periodo de gracia debe estar dentro de la vigencia del contrato")]
    GracePeriodOutsideContract,
    #[error("el tipo de póliza {0} está repetido entre las pólizas requeridas")]
    DuplicatePolicyRequirement(String),
    #[error("la fecha de terminación no puede ser anterior al inicio del contrato")]
    TerminationBeforeStart,
    #[error("la nota de seguimiento no puede estar vacía")]
    EmptyNote,
    #[error("la fecha de seguimiento no puede ser anterior a la fecha de la nota")]
    FollowUpBeforeNote,
    #[error(
        "la fecha hasta la que se pospone la alerta debe ser posterior a hoy y a lo sumo un año después"
    )]
    PostponeOutOfRange,
    #[error("indique de qué alerta se trata")]
    NoSuchAlert,
    #[error("no existe la nota de seguimiento número {0}")]
    NoSuchNote(u32),
    #[error("la nota de seguimiento número {0} ya fue retirada")]
    NoteRetracted(u32),

    // ----- otro sí -----
    #[error("el Otro Sí debe modificar al menos un campo")]
    EmptyOtroSi,
    #[error("el Otro Sí {0} no existe")]
    OtroSiNotFound(String),
    #[error("el Otro Sí {number} {status}")]
    OtroSiWrongStatus { number: String, status: String },
    #[error("solo se puede eliminar el último Otro Sí ({0})")]
    OnlyLastOtroSiCanBeDeleted(String),
    #[error("el Otro Sí {earlier} debe aprobarse o rechazarse antes que el {later}")]
    EarlierOtroSiPending { earlier: String, later: String },
    #[error("la nueva fecha final del Otro Sí debe ser posterior al inicio del contrato")]
    OtroSiEndBeforeStart,
    #[error("la vigencia del Otro Sí debe empezar en o después del inicio del contrato")]
    OtroSiBeforeContractStart,
    #[error("el Otro Sí no puede fijar canon ni mínimo si cambia la modalidad a variable puro")]
    OtroSiCanonWithVariable,

    // ----- renovación -----
    #[error("el contrato {0} no tiene prórroga automática")]
    NoAutomaticExtension(String),
    #[error("la renovación {0} no existe")]
    RenewalNotFound(String),
    #[error("la renovación {0} ya está pendiente de aprobación")]
    RenewalPending(String),
    #[error("la renovación {number} {status}")]
    RenewalWrongStatus { number: String, status: String },
    #[error("solo se puede anular la última renovación ({0})")]
    OnlyLastRenewalCanBeAnnulled(String),

    // ----- pólizas -----
    #[error("la póliza ya fue registrada")]
    PolizaAlreadyRegistered,
    #[error("la póliza número {0} ya está registrada en este contrato")]
    DuplicatePolizaNumber(String),
    #[error("la póliza no existe")]
    PolizaNotFound,
    #[error("la póliza {0} fue cancelada")]
    PolizaCancelled(String),
    #[error("el margen (colchón) no puede superar 24 meses")]
    ColchonTooLong,

    // ----- informes de ventas -----
    #[error("el contrato {0} es de canon fijo y no reporta ventas")]
    NotSalesBased(String),
    #[error("ya existe el informe de ventas de {0}")]
    DuplicateSalesReport(String),
    #[error("no existe el informe de ventas de {0}")]
    SalesReportNotFound(String),
    #[error("las devoluciones no pueden superar las ventas brutas")]
    ReturnsExceedSales,
    #[error("el informe de ventas de {0} ya está pendiente")]
    SalesReportAlreadyPending(String),
    #[error(
        "el mes {period} está fuera de la vigencia del contrato {number} (del {from} al {to}): no lleva informe de ventas"
    )]
    SalesReportOutsideTerm {
        period: String,
        number: String,
        from: String,
        to: String,
    },

    // ----- ajuste -----
    #[error("el contrato {0} no tiene pactado un ajuste anual del canon")]
    NoAdjustmentRule(String),
    #[error("el contrato {0} es variable puro y no tiene canon que ajustar")]
    NothingToAdjust(String),
    #[error("el canon del contrato {number} ya fue ajustado para {year}")]
    AlreadyAdjusted { number: String, year: i32 },
    #[error(
        "primero debe aplicarse el ajuste de {earliest}, antes que el de {year}: los ajustes se acumulan y se aplican en orden"
    )]
    EarlierAdjustmentPending { year: i32, earliest: i32 },
    #[error(
        "el ajuste de {year} no puede aplicarse después del de {later}: los ajustes se acumulan y se aplican en orden"
    )]
    AdjustmentAfterLater { year: i32, later: i32 },

    // ----- índices -----
    #[error("este registro corresponde al índice {0}")]
    WrongIndexKind(String),

    // ----- versiones: the edit was prepared from a state that changed since -----
    #[error("el contrato cambió mientras lo editaba")]
    ContratoChanged,
    #[error("el Otro Sí {0} cambió mientras lo editaba")]
    OtroSiChanged(String),
    #[error("la póliza cambió mientras la editaba")]
    PolizaChanged,
    #[error("el informe de ventas de {0} cambió mientras lo editaba")]
    SalesReportChanged(String),
    #[error("el tercero cambió mientras lo editaba")]
    TerceroChanged,
    #[error("el local cambió mientras lo editaba")]
    LocalChanged,
    #[error("el valor {0} del índice cambió mientras lo editaba")]
    IndiceChanged(i32),
    #[error("los datos de la empresa cambiaron mientras los editaba")]
    EmpresaChanged,

    // ----- documentos -----
    #[error("el documento no existe en este contrato")]
    DocumentNotFound,
    #[error("el documento ya fue retirado")]
    DocumentAlreadyRemoved,
    #[error("el documento ya está adjunto a este contrato")]
    DocumentAlreadyAttached,
    #[error("la empresa aún no tiene logo")]
    NoLogo,
    #[error("el logo debe ser una imagen PNG o JPEG")]
    LogoNotImage,
    #[error("«{0}» cambió mientras lo editaba")]
    CatalogEntryChanged(String),
    #[error("la lista de cláusulas del contrato cambió mientras la editaba")]
    ClausesChanged,
}

impl DomainError {
    /// Whether the command was refused only because what it edits changed since the user saw it:
    /// the form should show the current state beside the user's input.
    pub fn is_stale(&self) -> bool {
        matches!(
            self,
            Self::ContratoChanged
                | Self::OtroSiChanged(_)
                | Self::PolizaChanged
                | Self::SalesReportChanged(_)
                | Self::TerceroChanged
                | Self::LocalChanged
                | Self::IndiceChanged(_)
                | Self::EmpresaChanged
                | Self::CatalogEntryChanged(_)
                | Self::ClausesChanged
        )
    }
}

impl DomainError {
    /// The Spanish name of the field a refusal is about (`«preaviso»`, `«número de contrato»`),
    /// so that a form can show the message beside that field; `None` for the whole form.
    pub fn field(&self) -> Option<&'static str> {
        use DomainError::*;
        match self {
            Required(field)
            | TextTooLong { field, .. }
            | ControlCharacter { field }
            | TooManyDays { field, .. }
            | TooManyMonths { field, .. }
            | DateOutOfRange { field, .. }
            | AmountOutOfRange { field }
            | OutOfRange { field } => Some(field),
            _ => None,
        }
    }
}
