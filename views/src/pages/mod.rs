//! Pages of the application, one module per area. Pure functions of plain data (or events and
//! projections types) rendered in the common layout.

pub mod alertas;
pub mod atender;
pub mod auditoria;
pub mod bandeja;
pub mod buscar;
pub mod calendario;
pub mod catalogos;
pub mod clausulas;
pub mod confirmacion;
pub mod conflicto;
pub mod contrato_clausulas;
pub mod contrato_detail;
pub mod contrato_form;
pub mod contrato_terms;
pub mod contratos_list;
pub mod correo;
pub mod cuarentena;
pub mod dashboard;
pub mod documentos;
pub mod empresa;
pub mod form_values;
pub mod indices;
pub mod integridad;
pub mod lecturas;
pub mod locales;
pub mod otrosi;
pub mod poliza_form;
pub mod polizas;
pub mod relacion;
pub mod renovaciones;
pub mod respaldos;
pub mod tareas;
pub mod terceros;
pub mod ventas;
