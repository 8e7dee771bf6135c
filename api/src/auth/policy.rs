//! The one table of what each role may do. A handler names its action; nothing else decides.
//! Scope (which units) is enforced separately, in the store queries.

use super::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ReadUnits,
    ManageUnits,
    ReadUsers,
    ManageUsers,
    ManageApiClients,
    ReadAudit,
}

pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        // The unit tree is public knowledge and every role needs it to name places.
        ReadUnits => true,
        ManageUnits => role == Admin,
        ReadUsers => matches!(role, Admin | Officer | Viewer),
        ManageUsers | ManageApiClients | ReadAudit => matches!(role, Admin | Officer),
    }
}
