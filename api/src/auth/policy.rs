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
    ReadTeams,
    ManageTeams,
    ReadMediators,
    ManageMediators,
    ReadCases,
    /// Open a case: officers, and team leaders and mediators for their own team.
    CreateCases,
    /// Change a case's details, assign mediators, mark it out of scope, record follow-ups.
    EditCases,
    /// Record a session, an escalation or the end: also mediators, on cases assigned to them.
    RecordCaseProgress,
    /// Move an open case to a successor team after a merger: the commune's officer decides.
    TransferCases,
    /// Correct a recorded result (successful ↔ unsuccessful): commune officers only.
    CorrectCaseResults,
    /// Aggregate statistics of the caller's scope: every role, statistics readers included.
    ReadStats,
    /// De-identified case facts for incremental copies.
    ReadCaseFacts,
    /// Submit official reports: officers (and admins).
    SubmitReports,
    /// Trainings and coverage: officers and viewers of the unit; team leaders and mediators for their team.
    ReadTrainings,
    ManageTrainings,
    /// Funding policies, budgets, disbursements, fee suggestions, confirmation lists, incident claims.
    ReadFunding,
    ManageFunding,
    /// Team ratings, awards, plan targets and the year-end report.
    ReadReview,
    ManageReview,
    /// Add a rating scheme (the national configuration).
    ConfigureSchemes,
    /// See photos and scans of signed papers: whoever may read the record they prove (the
    /// owner's own rule is checked by `attachments::rules::may_see`); never a statistics client.
    ReadAttachments,
    /// Attach a photo or scan of a signed paper (narrowed per owner by `attachments::rules::may_attach`).
    AddAttachments,
    /// Data-subject requests, a person's export, pseudonymisation: the controller's work, done by
    /// the commune's justice officer (narrowed to officers scoped to a commune by `privacy::store`).
    ManagePersonalData,
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
        ReadTeams | ReadMediators => matches!(role, Admin | Officer | TeamLeader | Mediator | Viewer),
        ManageTeams | ManageMediators => matches!(role, Admin | Officer),
        // Casework is the teams' and the commune's: administrators run the system, not cases.
        ReadCases => matches!(role, Admin | Officer | TeamLeader | Mediator | Viewer),
        CreateCases | RecordCaseProgress => matches!(role, Officer | TeamLeader | Mediator),
        EditCases => matches!(role, Officer | TeamLeader),
        TransferCases => role == Officer,
        // The law leaves corrections after the end to the commune (domain.md): a team leader
        // records results, and may not quietly turn one into the other afterwards.
        CorrectCaseResults => role == Officer,
        ReadStats => true,
        ReadCaseFacts => matches!(role, Admin | Officer | Viewer | Stats),
        SubmitReports => matches!(role, Admin | Officer),
        ReadTrainings => matches!(role, Admin | Officer | TeamLeader | Mediator | Viewer),
        ManageTrainings | ManageFunding | ManageReview => matches!(role, Admin | Officer),
        // Money and the review are the commune's business: its officers and its leadership.
        ReadFunding | ReadReview => matches!(role, Admin | Officer | Viewer),
        ConfigureSchemes => role == Admin,
        ReadAttachments => matches!(role, Admin | Officer | TeamLeader | Mediator | Viewer),
        AddAttachments => matches!(role, Officer | TeamLeader | Mediator),
        ManagePersonalData => role == Officer,
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

    permissions!(
        ReadUnits,
        ManageUnits,
        ReadUsers,
        ManageUsers,
        ManageApiClients,
        ReadAudit,
        ReadTeams,
        ManageTeams,
        ReadMediators,
        ManageMediators,
        ReadCases,
        CreateCases,
        EditCases,
        RecordCaseProgress,
        TransferCases,
        CorrectCaseResults,
        ReadStats,
        ReadCaseFacts,
        SubmitReports,
        ReadTrainings,
        ManageTrainings,
        ReadFunding,
        ManageFunding,
        ReadReview,
        ManageReview,
        ConfigureSchemes,
        ReadAttachments,
        AddAttachments,
        ManagePersonalData,
    );
}
