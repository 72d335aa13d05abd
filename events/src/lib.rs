//! Write side of Arriendo.
