//! maud templates of Arriendo.
