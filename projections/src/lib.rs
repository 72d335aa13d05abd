//! Read side of Arriendo.
