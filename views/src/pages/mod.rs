//! Pages of the application, one module per area. Pure functions of plain data (or events and
//! projections types) rendered in the common layout.

pub mod catalogos;
pub mod indices;
pub mod locales;
pub mod poliza_form;
pub mod polizas;
pub mod respaldos;
pub mod terceros;
pub mod ventas;
