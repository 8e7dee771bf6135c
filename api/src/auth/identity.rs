//! Who a principal is: its role and its kind. Plain values that tokens carry, kept apart from
//! the access rules so that the token and session plumbing below them can name them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user's role (`role`). One per account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống
    Admin,
    /// Cán bộ quản lý (Tư pháp)
    Officer,
    /// Tổ trưởng tổ hòa giải
    TeamLeader,
    /// Hòa giải viên
    Mediator,
    /// Người xem
    Viewer,
    /// Khai thác số liệu thống kê
    Stats,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Admin, Role::Officer, Role::TeamLeader, Role::Mediator, Role::Viewer, Role::Stats];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::TeamLeader => "team_leader",
            Role::Mediator => "mediator",
            Role::Viewer => "viewer",
            Role::Stats => "stats",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles that may hold the whole country as scope (no unit).
    pub fn may_be_national(self) -> bool {
        matches!(self, Role::Admin | Role::Viewer | Role::Stats)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    User,
    Client,
    /// The program itself: CLI commands and demo seeding. Never in a token.
    System,
}
