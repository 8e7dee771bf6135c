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

/// An action as a type, so a handler can demand it in its signature: `actor: Allowed<can::ManageUnits>`.
pub trait Permission {
    const ACTION: Action;
}

/// One marker type per action.
pub mod can {
    use super::{Action, Permission};

    macro_rules! permissions {
        ($($name:ident),* $(,)?) => {
            $(
                pub struct $name;
                impl Permission for $name {
                    const ACTION: Action = Action::$name;
                }
            )*
        };
    }

    permissions!(ReadUnits, ManageUnits, ReadUsers, ManageUsers, ManageApiClients, ReadAudit);
}
