use serde::{Deserialize, Serialize};

use super::LocalData;
use crate::catalog::domain_event;

/// Version of `LocalRegistered`. Version 0.9 called the commercial name `nombre`:
/// see [`crate::upcasting`].
pub const LOCAL_REGISTERED_VERSION: &str = "1.0";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LocalEvent {
    LocalRegistered(LocalData),
    LocalUpdated(LocalData),
}

impl LocalEvent {
    pub fn check_bounds(&self) -> Result<(), crate::DomainError> {
        match self {
            LocalEvent::LocalRegistered(data) | LocalEvent::LocalUpdated(data) => {
                data.check_bounds()
            }
        }
    }
}

domain_event!(LocalEvent, "local", {
    LocalRegistered => LOCAL_REGISTERED_VERSION, &["name", "location", "area_m2"];
    LocalUpdated => "1.0", &["name", "location", "area_m2"];
});
