//! «Mis tareas»: what the signed-in user must do today and this week, at the top of the panel —
//! approvals waiting for them (administradores), how what they sent went, sales reports overdue or
//! due this week, and the follow-up dates of their own notes.

use maud::{Markup, html};

use super::bandeja::InboxItem;
use super::dashboard::{AlertRow, date_label, handle_href, tone};
use crate::components::{alert_actions, badge};
use crate::format;

/// Tasks are due today (or overdue) or within this many days.
pub const WEEK_DAYS: i64 = 7;

/// Everything «Mis tareas» lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyTasks {
    /// Otro Sí and renewals waiting for approval (only counted for administradores).
    pub approvals: u64,
    /// What the user sent that is still waiting, or was rejected.
    pub sent: Vec<InboxItem>,
    /// Sales reports overdue or due this week, and the user's own follow-up dates.
    pub alerts: Vec<AlertRow>,
}

impl MyTasks {
    pub fn is_empty(&self) -> bool {
        self.approvals == 0 && self.sent.is_empty() && self.alerts.is_empty()
    }
}

fn task(row: &AlertRow, can_write: bool) -> Markup {
    let action = row
        .action
        .as_ref()
        .map(|a| (a.label.clone(), a.href.clone()));
    html! {
        li class={ "alert-entry tone-" (tone(row.severity).class()) } {
            div.alert-entry-main {
                strong { (row.kind.label()) } " · "
                @if let Some(id) = &row.contract_id {
                    a.alert-contract href={ "/contratos/" (id) } { (row.contract_number) }
                }
                span.alert-detail { (row.message) }
            }
            div.alert-entry-meta {
                span.alert-date { (date_label(row.kind)) " " (format::date(row.trigger_date)) }
                (badge(tone(row.severity), &format::days_left(row.days_left)))
            }
            (alert_actions(action.as_ref(), handle_href(row).filter(|_| can_write).as_deref()))
        }
    }
}

/// The «Mis tareas» section.
pub fn tasks_section(t: &MyTasks, can_write: bool) -> Markup {
    let today: Vec<&AlertRow> = t.alerts.iter().filter(|a| a.days_left <= 0).collect();
    let week: Vec<&AlertRow> = t.alerts.iter().filter(|a| a.days_left > 0).collect();
    html! {
        section.section.my-tasks aria-labelledby="tareas-titulo" {
            h2 #tareas-titulo { "Mis tareas" }
            @if t.is_empty() {
                p.muted { "No tiene tareas para hoy ni para esta semana." }
            }
            @if t.approvals > 0 {
                p.task-approvals {
                    a.btn.btn-primary href="/bandeja" {
                        (format::count_noun(t.approvals, "aprobación pendiente", "aprobaciones pendientes"))
                    }
                }
            }
            @if !t.sent.is_empty() {
                h3 { "Lo que usted envió" }
                ul.task-list {
                    @for i in &t.sent {
                        li {
                            a href="/bandeja" { (i.kind.label(i.number)) } " del contrato " (i.contract_number) ": "
                            (crate::components::state_badge(&i.status))
                            @if let Some(r) = &i.reason { " «" (r) "»" }
                        }
                    }
                }
            }
            @if !today.is_empty() {
                h3 { "Hoy" }
                ul.alert-list { @for a in &today { (task(a, can_write)) } }
            }
            @if !week.is_empty() {
                h3 { "Esta semana" }
                ul.alert-list { @for a in &week { (task(a, can_write)) } }
            }
        }
    }
}
