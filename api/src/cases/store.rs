use actix_web::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use serde_json::json;

use super::dto::*;
use super::model::{year_and_month, Assignment, Case, Conflict, Escalation, FollowUp, ListedCase, Party, Session};
use super::rules::{self, Command};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{Actor, Role};
use crate::codes::{stored, stored_opt};
use crate::db::area::Area;
use crate::db::bound::{self, Bound};
use crate::db::planned::{Applied, Insert, Writes};
use crate::db::schema::{case_assignments, case_conflicts, case_escalations, case_follow_ups, case_parties, case_sessions, cases};
use crate::db::{json, new_id, now, today, Backend, DbConn, MultiBackend};
use crate::error::ApiError;
use crate::teams::model::Team;
use crate::text;
use crate::versioned::{self, Edit};

// ---- who sees which case ----------------------------------------------------------------------

/// Cases in progress, not started, with no exception: those whose start can be overdue. In SQL
/// text, not bound, because it is the condition of the partial index `cases_awaiting_start`, and
/// the planner, which never plans with bound values (`.cargo/config.toml`), can only see that a
/// query's condition implies the index's when both are written out. Not `dsl::sql`: diesel never
/// keeps a statement with raw SQL in it prepared.
pub fn awaiting_start() -> AwaitingStart {
    AwaitingStart
}

/// The condition of [`awaiting_start`], for statements written in SQL.
pub const AWAITING_START_SQL: &str = "(cases.status = 'in_progress' AND cases.started_on IS NULL AND cases.deadline_exception IS NULL)";

#[derive(Clone, Copy, Debug, diesel::expression::ValidGrouping)]
pub struct AwaitingStart;

impl diesel::Expression for AwaitingStart {
    type SqlType = diesel::sql_types::Bool;
}

impl diesel::AppearsOnTable<cases::table> for AwaitingStart {}
impl diesel::SelectableExpression<cases::table> for AwaitingStart {}

impl diesel::query_builder::QueryId for AwaitingStart {
    type QueryId = AwaitingStart;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::QueryFragment<MultiBackend> for AwaitingStart {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql(AWAITING_START_SQL);
        Ok(())
    }
}

/// What the caller's right to see cases comes to, read once per request: the subtree for
/// officers, viewers and admins; the own teams for a team leader; for a mediator, the cases they
/// are or were assigned to and those they opened.
enum Sight {
    Area,
    Teams(Vec<String>),
    Mediator { assigned: Vec<String> },
}

fn sight(conn: &mut DbConn, actor: &Actor) -> Result<Sight, ApiError> {
    Ok(match actor.role {
        Role::TeamLeader => Sight::Teams(crate::teams::store::my_team_ids(conn, actor)?),
        Role::Mediator => Sight::Mediator {
            assigned: match &actor.mediator_id {
                Some(m) => {
                    case_assignments::table.filter(case_assignments::mediator_id.eq(m)).select(case_assignments::case_id).load(conn)?
                }
                None => Vec::new(),
            },
        },
        _ => Sight::Area,
    })
}

impl Sight {
    /// Whether the caller sees this case: the same rule as `visible`, for a case in hand.
    fn sees(&self, actor: &Actor, case: &Case) -> bool {
        match self {
            Sight::Teams(ids) => ids.contains(&case.team_id),
            Sight::Mediator { assigned } => assigned.contains(&case.id) || case.created_by == actor.id,
            Sight::Area => actor.scope.covers(Some(&case.unit_path)),
        }
    }
}

/// The cases the caller may see, as a query.
fn visible(actor: &Actor, sight: &Sight) -> cases::BoxedQuery<'static, MultiBackend> {
    let q = cases::table.into_boxed();
    match sight {
        // One team (the usual leader) as `=`: a statement SQLite keeps prepared, which `IN (…)`
        // with a list is not.
        Sight::Teams(ids) if ids.len() == 1 => q.filter(cases::team_id.eq(ids[0].clone())),
        Sight::Teams(ids) => q.filter(cases::team_id.eq_any(ids.clone())),
        Sight::Mediator { assigned } => q.filter(cases::id.eq_any(assigned.clone()).or(cases::created_by.eq(actor.id.clone()))),
        Sight::Area => match actor.scope.contains(cases::unit_path) {
            Some(inside) => q.filter(inside),
            None => q,
        },
    }
}

/// A case the caller may see, by id: one primary-key look-up, the caller's right judged on the
/// case in hand by the rule of the lists (`Sight`). Invisible and missing look the same (404).
pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Case, ApiError> {
    let case = by_id(conn, id)?.ok_or_else(ApiError::not_found)?;
    if !sight(conn, actor)?.sees(actor, &case) {
        return Err(ApiError::not_found());
    }
    Ok(case)
}

/// The case of this id, whoever may see it: on the backend's own connection (`dispatch!`), as it
/// is read by every case read and create.
fn by_id(conn: &mut DbConn, id: &str) -> Result<Option<Case>, ApiError> {
    Ok(crate::dispatch!(conn, |c| cases::table.find(id).select(Case::as_select()).get_result(c)).optional()?)
}

/// A JSON document the database built about a case (its children, a list row's names), read back
/// as `T`; `kind` names it in the log.
fn read_json<T: serde::de::DeserializeOwned>(kind: &str, doc: &str) -> Result<T, ApiError> {
    serde_json::from_str(doc).map_err(|e| {
        // Not the message: serde quotes the value it could not read, and it can be a party's.
        tracing::error!(kind, category = ?e.classify(), column = e.column(), "a case's JSON does not read back from the database");
        ApiError::internal()
    })
}

/// A case's stored status (`cases.status`) as the code it must be.
fn status_of(status: &str) -> Result<CaseStatus, ApiError> {
    stored(CaseStatus::parse(status), "cases.status", status)
}

// ---- reading ------------------------------------------------------------------------------------

fn parties_of(conn: &mut DbConn, case_id: &str) -> Result<Vec<Party>, ApiError> {
    Ok(case_parties::table
        .filter(case_parties::case_id.eq(case_id))
        .select(Party::as_select())
        .order(case_parties::position.asc())
        .load(conn)?)
}

pub fn party_dto(p: Party, show: bool) -> Result<PartyDto, ApiError> {
    Ok(PartyDto {
        kind: stored(PartyKind::parse(&p.kind), "case_parties.kind", &p.kind)?,
        role: stored(PartyRole::parse(&p.role), "case_parties.role", &p.role)?,
        id: p.id,
        position: p.position,
        full_name: show.then_some(p.full_name),
        age: p.age,
        birth_year: if show { p.birth_year } else { None },
        address: if show { p.address } else { None },
        phone: if show { p.phone } else { None },
        id_number: if show { p.id_number } else { None },
        demand: if show { p.demand } else { None },
    })
}

/// What a case holds besides its own row.
#[derive(Default)]
pub struct Children {
    pub parties: Vec<Party>,
    pub assignments: Vec<(Assignment, String)>,
    pub conflicts: Vec<Conflict>,
    pub sessions: Vec<Session>,
    pub escalations: Vec<Escalation>,
    pub follow_ups: Vec<FollowUp>,
}

/// The whole case as this caller may see it, read from the database: the case is in hand, its
/// children come in one statement (`children_of`).
pub fn detail(conn: &mut DbConn, actor: &Actor, case: Case) -> Result<CaseDto, ApiError> {
    let children = children_of(conn, &case.id)?;
    dto_of(actor, case, children)
}

/// The six kinds of a case's children in one statement: each branch of a `UNION ALL` turns its
/// rows into JSON documents of the model's fields, tagged with the kind. Six selects cost six
/// round trips on PostgreSQL and six statements on SQLite's path of every case read; this is one,
/// kept prepared (fixed text; the case id bound once per branch). The column lists below are the
/// fields of the model structs (a missing or misspelt one fails every case read in the tests).
fn children_of(conn: &mut DbConn, case_id: &str) -> Result<Children, ApiError> {
    static SQL: std::sync::OnceLock<[String; 2]> = std::sync::OnceLock::new();
    let [sqlite, pg] = SQL.get_or_init(|| {
        let text = |obj: &str| {
            format!(
                "SELECT 'p' AS kind, CAST({obj}('id', id, 'case_id', case_id, 'team_id', team_id, 'position', position, 'kind', kind, 'role', role, \
                 'full_name', full_name, 'name_key', name_key, 'age', age, 'birth_year', birth_year, 'address', address, \
                 'phone', phone, 'id_number', id_number, 'demand', demand) AS TEXT) AS doc \
                 FROM case_parties WHERE case_id = ? \
                 UNION ALL SELECT 'a', CAST({obj}('id', a.id, 'case_id', a.case_id, 'mediator_id', a.mediator_id, \
                 'assigned_on', a.assigned_on, 'chosen_by', a.chosen_by, 'ended_on', a.ended_on, 'end_reason', a.end_reason, \
                 'end_note', a.end_note, 'created_at', a.created_at, 'mediator_name', m.full_name) AS TEXT) \
                 FROM case_assignments a JOIN mediators m ON m.id = a.mediator_id WHERE a.case_id = ? \
                 UNION ALL SELECT 'c', CAST({obj}('case_id', case_id, 'mediator_id', mediator_id, 'note', note, \
                 'created_at', created_at) AS TEXT) FROM case_conflicts WHERE case_id = ? \
                 UNION ALL SELECT 's', CAST({obj}('id', id, 'case_id', case_id, 'held_on', held_on, 'place', place, \
                 'is_public', is_public, 'participants', participants, 'notes', notes, 'created_at', created_at) AS TEXT) \
                 FROM case_sessions WHERE case_id = ? \
                 UNION ALL SELECT 'e', CAST({obj}('id', id, 'case_id', case_id, 'kind', kind, 'occurred_on', occurred_on, \
                 'notified', notified, 'notes', notes, 'created_at', created_at) AS TEXT) FROM case_escalations WHERE case_id = ? \
                 UNION ALL SELECT 'f', CAST({obj}('id', id, 'case_id', case_id, 'checked_on', checked_on, 'status', status, \
                 'notes', notes, 'created_at', created_at) AS TEXT) FROM case_follow_ups WHERE case_id = ?"
            )
        };
        [text(json::object_function(Backend::Sqlite)), text(json::object_function(Backend::Postgres))]
    });
    let sql = match conn.backend() {
        Backend::Sqlite => sqlite,
        Backend::Postgres => pg,
    };
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        doc: String,
    }
    #[derive(serde::Deserialize)]
    struct AssignmentRow {
        #[serde(flatten)]
        assignment: Assignment,
        mediator_name: String,
    }
    let rows: Vec<Row> = Bound::new(sql.as_str()).binding(std::iter::repeat_n(case_id, 6)).load(conn)?;
    let mut c = Children::default();
    for row in rows {
        match row.kind.as_str() {
            "p" => c.parties.push(read_json(&row.kind, &row.doc)?),
            "a" => {
                let a: AssignmentRow = read_json(&row.kind, &row.doc)?;
                c.assignments.push((a.assignment, a.mediator_name));
            }
            "c" => c.conflicts.push(read_json(&row.kind, &row.doc)?),
            "s" => c.sessions.push(read_json(&row.kind, &row.doc)?),
            "e" => c.escalations.push(read_json(&row.kind, &row.doc)?),
            "f" => c.follow_ups.push(read_json(&row.kind, &row.doc)?),
            other => {
                tracing::error!(kind = other, "a case's child of an unknown kind");
                return Err(ApiError::internal());
            }
        }
    }
    // The orders the screens and the printed log book show them in.
    c.parties.sort_by_key(|p| p.position);
    c.assignments.sort_by(|(x, _), (y, _)| (x.assigned_on, &x.id).cmp(&(y.assigned_on, &y.id)));
    c.conflicts.sort_by(|x, y| (x.created_at, &x.mediator_id).cmp(&(y.created_at, &y.mediator_id)));
    c.sessions.sort_by(|x, y| (x.held_on, &x.id).cmp(&(y.held_on, &y.id)));
    c.escalations.sort_by(|x, y| x.id.cmp(&y.id));
    c.follow_ups.sort_by(|x, y| x.id.cmp(&y.id));
    Ok(c)
}

/// The case as this caller may see it, from its rows. A command answers from the rows it wrote.
pub fn dto_of(actor: &Actor, case: Case, children: Children) -> Result<CaseDto, ApiError> {
    let show = actor.sees_party_details();
    let Children { parties, assignments, conflicts, sessions, escalations, follow_ups } = children;
    let status = status_of(&case.status)?;
    let exception = stored_opt(case.deadline_exception.as_deref(), DeadlineException::parse, "cases.deadline_exception")?;
    Ok(CaseDto {
        deadline: DeadlineDto {
            days: case.deadline_days,
            start_by: case.start_deadline,
            started_on: case.started_on,
            exception,
            exception_note: case.deadline_exception_note.clone(),
            overdue: rules::is_overdue(status, case.start_deadline, case.started_on, exception.is_some(), today()),
        },
        parties: parties.into_iter().map(|p| party_dto(p, show)).collect::<Result<_, _>>()?,
        assignments: assignments
            .into_iter()
            .map(|(a, name)| {
                Ok(AssignmentDto {
                    chosen_by: stored(ChosenBy::parse(&a.chosen_by), "case_assignments.chosen_by", &a.chosen_by)?,
                    end_reason: stored_opt(a.end_reason.as_deref(), AssignmentEnd::parse, "case_assignments.end_reason")?,
                    id: a.id,
                    mediator_id: a.mediator_id,
                    mediator_name: name,
                    assigned_on: a.assigned_on,
                    ended_on: a.ended_on,
                    end_note: a.end_note,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        conflicts: conflicts
            .into_iter()
            .map(|c| ConflictDto { mediator_id: c.mediator_id, note: if show { c.note } else { None } })
            .collect(),
        sessions: sessions
            .into_iter()
            .map(|s| SessionDto {
                participants: if show { serde_json::from_str(&s.participants).ok() } else { None },
                notes: if show { s.notes } else { None },
                place: if show { s.place } else { None },
                id: s.id,
                held_on: s.held_on,
                is_public: s.is_public,
            })
            .collect(),
        escalations: escalations
            .into_iter()
            .map(|e| {
                Ok(EscalationDto {
                    kind: stored(EscalationKind::parse(&e.kind), "case_escalations.kind", &e.kind)?,
                    notes: if show { e.notes } else { None },
                    id: e.id,
                    occurred_on: e.occurred_on,
                    notified: e.notified,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        follow_ups: follow_ups
            .into_iter()
            .map(|f| {
                Ok(FollowUpDto {
                    status: stored(Implementation::parse(&f.status), "case_follow_ups.status", &f.status)?,
                    notes: if show { f.notes } else { None },
                    id: f.id,
                    checked_on: f.checked_on,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        out_of_scope: case
            .out_of_scope_reason
            .clone()
            // The reason can tell the story; the body it went to cannot.
            .map(|reason| OutOfScopeDto {
                reason: if show { reason } else { String::new() },
                referred_to: case.out_of_scope_referred_to.clone(),
                decided_on: case.ended_on,
            }),
        end: match (stored_opt(case.end_reason.as_deref(), EndReason::parse, "cases.end_reason")?, case.ended_on) {
            (Some(reason), Some(ended_on)) => {
                Some(CaseEndDto { reason, ended_on, agreement_text: if show { case.agreement_text.clone() } else { None } })
            }
            _ => None,
        },
        pseudonymised_on: case.pseudonymised_on,
        transferred_from: match (&case.transferred_from_team_id, case.transferred_from_line, case.transferred_on) {
            (Some(team_id), Some(logbook_line), Some(transferred_on)) => {
                Some(TransferredFromDto { team_id: team_id.clone(), logbook_line, transferred_on })
            }
            _ => None,
        },
        referral: match (&case.referral_body, case.referral_date) {
            (Some(body), Some(date)) => Some(ReferralDto { body: body.clone(), date }),
            _ => None,
        },
        written_agreement: match (
            case.written_agreement_date,
            stored_opt(case.written_agreement_signature.as_deref(), Signature::parse, "cases.written_agreement_signature")?,
        ) {
            (Some(date), Some(signature)) => {
                Some(WrittenAgreementDto { date, signature, for_court_recognition: case.for_court_recognition })
            }
            _ => None,
        },
        basis: stored(Basis::parse(&case.basis), "cases.basis", &case.basis)?,
        category: stored(Category::parse(&case.category), "cases.category", &case.category)?,
        status,
        summary: show.then_some(case.summary),
        notes: if show { case.notes } else { None },
        redacted: !show,
        warnings: Vec::new(),
        id: case.id,
        team_id: case.team_id,
        unit_id: case.unit_id,
        received_on: case.received_on,
        logbook_line: case.logbook_line,
        logbook_volume: case.logbook_volume,
        referring_body: case.referring_body,
        version: case.version,
        created_at: case.created_at.and_utc(),
        updated_at: case.updated_at.and_utc(),
    })
}

#[derive(Default)]
pub struct CaseFilter {
    /// Records of this area only (a unit asked for, with its predecessors').
    pub within: Option<Area>,
    pub team_id: Option<String>,
    pub status: Option<CaseStatus>,
    pub open: Option<bool>,
    pub category: Option<Category>,
    pub basis: Option<Basis>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub overdue: Option<bool>,
    pub mediator_id: Option<String>,
    pub q: Option<String>,
    pub before_id: Option<String>,
    pub limit: i64,
}

/// The cases the caller may see that match the filters (the cursor aside).
fn matching(
    actor: &Actor,
    sight: &Sight,
    f: &CaseFilter,
    mediators_cases: &Option<Vec<String>>,
) -> Result<cases::BoxedQuery<'static, MultiBackend>, ApiError> {
    let mut q = visible(actor, sight);
    if let Some(area) = &f.within {
        q = q.filter(area.contains(cases::unit_path));
    }
    if let Some(t) = &f.team_id {
        q = q.filter(cases::team_id.eq(t.clone()));
    }
    if let Some(s) = f.status {
        q = q.filter(cases::status.eq(s.as_str()));
    }
    match f.open {
        Some(true) => q = q.filter(cases::status.eq_any(["received", "in_progress"])),
        Some(false) => q = q.filter(cases::status.ne_all(["received", "in_progress"])),
        None => {}
    }
    if let Some(c) = f.category {
        q = q.filter(cases::category.eq(c.as_str()));
    }
    if let Some(b) = f.basis {
        q = q.filter(cases::basis.eq(b.as_str()));
    }
    if let Some(d) = f.received_from {
        q = q.filter(cases::received_on.ge(d));
    }
    if let Some(d) = f.received_to {
        q = q.filter(cases::received_on.le(d));
    }
    match f.overdue {
        Some(true) => q = q.filter(awaiting_start()).filter(cases::start_deadline.lt(today())),
        Some(false) => {
            q = q.filter(
                cases::status
                    .ne("in_progress")
                    .or(cases::started_on.is_not_null())
                    .or(cases::deadline_exception.is_not_null())
                    .or(cases::start_deadline.ge(today()))
                    .or(cases::start_deadline.is_null()),
            )
        }
        None => {}
    }
    if let Some(ids) = mediators_cases {
        q = q.filter(cases::id.eq_any(ids.clone()));
    }
    if let Some(t) = &f.q {
        if !actor.sees_party_details() {
            // Searching narratives one may not read would reveal them a word at a time.
            return Err(ApiError::invalid_field("q", "not_allowed_for_role"));
        }
        q = q.filter(cases::summary_key.like(text::contains_pattern(t)).escape('\\'));
    }
    Ok(q)
}

/// Cases the caller may see, newest first, and when asked how many match across all pages: the
/// caller's sight (a team leader's teams, a mediator's assignments), then one statement for the
/// page with its parties' names and its total. Only a page past the last row, which has no row to
/// carry the total, counts again on its own.
pub fn list(conn: &mut DbConn, actor: &Actor, f: &CaseFilter, with_total: bool) -> Result<(Vec<CaseListItem>, Option<i64>), ApiError> {
    use diesel::sql_types::{BigInt, Nullable};
    let sight = sight(conn, actor)?;
    let mediators_cases: Option<Vec<String>> = match &f.mediator_id {
        Some(m) => Some(case_assignments::table.filter(case_assignments::mediator_id.eq(m)).select(case_assignments::case_id).load(conn)?),
        None => None,
    };
    let show = actor.sees_party_details();
    // An uncorrelated sub-select: both backends count it once per statement, not per row.
    let total: Box<dyn BoxableExpression<cases::table, MultiBackend, SqlType = Nullable<BigInt>>> = if with_total {
        Box::new(matching(actor, &sight, f, &mediators_cases)?.count().single_value())
    } else {
        Box::new(None::<i64>.into_sql::<Nullable<BigInt>>())
    };
    let mut q = matching(actor, &sight, f, &mediators_cases)?.select((ListedCase::as_select(), PartyNames { shown: show }, total));
    if let Some(b) = &f.before_id {
        q = q.filter(cases::id.lt(b.clone()));
    }
    let rows: Vec<(ListedCase, Option<String>, Option<i64>)> = q.order(cases::id.desc()).limit(f.limit + 1).load(conn)?;
    let total = match (with_total, rows.first()) {
        (false, _) => None,
        (true, Some((_, _, counted))) => Some(counted.unwrap_or_default()),
        (true, None) => Some(matching(actor, &sight, f, &mediators_cases)?.count().get_result(conn)?),
    };
    let day = today();
    let items = rows
        .into_iter()
        .map(|(c, names, _)| {
            let status = status_of(&c.status)?;
            Ok(CaseListItem {
                overdue: rules::is_overdue(status, c.start_deadline, c.started_on, c.deadline_exception.is_some(), day),
                party_names: show.then(|| party_names(names.as_deref())).transpose()?,
                summary: show.then_some(c.summary),
                basis: stored(Basis::parse(&c.basis), "cases.basis", &c.basis)?,
                category: stored(Category::parse(&c.category), "cases.category", &c.category)?,
                status,
                id: c.id,
                team_id: c.team_id,
                unit_id: c.unit_id,
                received_on: c.received_on,
                logbook_line: c.logbook_line,
                version: c.version,
                updated_at: c.updated_at.and_utc(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok((items, total))
}

/// The names a list row carries (`PartyNames`): a JSON array of text, or nothing for a case with
/// no party (PostgreSQL's `json_agg` of no row).
fn party_names(json: Option<&str>) -> Result<Vec<String>, ApiError> {
    Ok(json.map(|doc| read_json("party_names", doc)).transpose()?.unwrap_or_default())
}

/// A list row's parties' names in log-book order, as a JSON array built by the database inside
/// the page's statement (no second statement for the page's parties), or NULL for a caller who
/// may not read them. Written for the backend the statement goes to, and not with `dsl::sql`,
/// which diesel never keeps prepared.
#[derive(Clone, Copy, Debug, diesel::expression::ValidGrouping)]
struct PartyNames {
    shown: bool,
}

impl diesel::Expression for PartyNames {
    type SqlType = diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

impl diesel::AppearsOnTable<cases::table> for PartyNames {}
impl diesel::SelectableExpression<cases::table> for PartyNames {}

impl diesel::query_builder::QueryId for PartyNames {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::QueryFragment<MultiBackend> for PartyNames {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        out.push_sql(match (self.shown, out.backend()) {
            (false, _) => "NULL",
            (true, MultiBackend::Sqlite(_)) => {
                "(SELECT json_group_array(p.full_name ORDER BY p.position) FROM case_parties p WHERE p.case_id = cases.id)"
            }
            (true, MultiBackend::Pg(_)) => {
                "(SELECT json_agg(p.full_name ORDER BY p.position)::text FROM case_parties p WHERE p.case_id = cases.id)"
            }
        });
        Ok(())
    }
}

// ---- writing ------------------------------------------------------------------------------------

/// What the audit log keeps of a case: its facts, never the parties' data or the narrative.
fn audit_value(c: &Case) -> serde_json::Value {
    json!({
        "team_id": c.team_id, "received_on": c.received_on, "logbook_line": c.logbook_line, "logbook_volume": c.logbook_volume,
        "basis": c.basis, "category": c.category, "status": c.status, "start_deadline": c.start_deadline,
        "deadline_exception": c.deadline_exception, "started_on": c.started_on, "end_reason": c.end_reason, "ended_on": c.ended_on,
        "referral_date": c.referral_date, "written_agreement_date": c.written_agreement_date, "version": c.version,
    })
}

fn invalid_transition(status: CaseStatus, command: Command) -> ApiError {
    let (vi, en) = crate::codes::CodeEnum::labels(status);
    let (what_vi, what_en) = rules::describe(command);
    ApiError::conflict("invalid_transition")
        .with_detail(format!("Không thể {what_vi} khi vụ việc ở trạng thái «{vi}»"), format!("Cannot {what_en} while the case is «{en}»"))
}

fn not_future(field: &str, day: NaiveDate) -> Result<(), ApiError> {
    if day > today() {
        return Err(
            ApiError::invalid_field(field, "invalid_value").with_detail("Ngày không được ở tương lai", "The date cannot be in the future")
        );
    }
    Ok(())
}

fn not_before(field: &str, day: NaiveDate, earliest: NaiveDate) -> Result<(), ApiError> {
    if day < earliest {
        return Err(ApiError::invalid_field(field, "invalid_value").with_detail(
            format!("Ngày không được trước ngày {}", earliest.format("%d/%m/%Y")),
            format!("The date cannot be before {earliest}"),
        ));
    }
    Ok(())
}

/// Casework is done by those who see the people: an officer scoped above the commune reads
/// statistics and redacted cases, and must not change what they cannot see.
fn ensure_casework_scope(actor: &Actor) -> Result<(), ApiError> {
    if actor.role == Role::Officer && !actor.sees_party_details() {
        return Err(ApiError::forbidden().with_detail(
            "Chỉ cán bộ cấp xã thao tác trên vụ việc; cấp huyện, tỉnh xem số liệu",
            "Casework is for commune-level officers; district and province officers read statistics",
        ));
    }
    Ok(())
}

/// A mediator records progress only on cases assigned to them now.
fn ensure_may_progress(conn: &mut DbConn, actor: &Actor, case: &Case) -> Result<(), ApiError> {
    if actor.role != Role::Mediator {
        return Ok(());
    }
    let Some(m) = &actor.mediator_id else { return Err(ApiError::forbidden()) };
    let assigned = case_assignments::table
        .filter(case_assignments::case_id.eq(&case.id))
        .filter(case_assignments::mediator_id.eq(m))
        .filter(case_assignments::ended_on.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if assigned {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// The start of every command: the case, its current version if the caller named one, and the
/// state machine's consent.
fn begin(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, command: Command) -> Result<Case, ApiError> {
    let case = find(conn, actor, id)?;
    ensure_casework_scope(actor)?;
    if let Some(v) = if_match {
        versioned::check(v, case.version, || shown(conn, actor, case.clone()))?;
    }
    let status = status_of(&case.status)?;
    if !rules::allowed(status, command) {
        return Err(invalid_transition(status, command));
    }
    Ok(case)
}

/// A case as a 412 shows it: as the caller sees it now.
fn shown(conn: &mut DbConn, actor: &Actor, case: Case) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(detail(conn, actor, case)?).map_err(|_| ApiError::internal())
}

/// The end of every command: the case row written with a new version (only if nobody changed it
/// meanwhile), and one audit row.
fn finish(
    conn: &mut DbConn,
    actor: &Actor,
    before: &Case,
    mut after: Case,
    action: &str,
    extra: Option<serde_json::Value>,
) -> Result<Case, ApiError> {
    after.version = before.version + 1;
    after.updated_at = now();
    let mut new = audit_value(&after);
    if let (Some(serde_json::Value::Object(extra)), serde_json::Value::Object(map)) = (extra, &mut new) {
        map.extend(extra);
    }
    Edit { who: &Who::from(actor), action, entity: "case", id: &after.id, unit_path: Some(&after.unit_path) }.save(
        conn,
        |c| {
            Ok(diesel::update(cases::table.filter(cases::id.eq(&before.id)).filter(cases::version.eq(before.version)))
                .set(&after)
                .execute(c)?)
        },
        |c| {
            let fresh = find(c, actor, &before.id)?;
            let version = fresh.version;
            Ok((shown(c, actor, fresh)?, version))
        },
        |_| Ok((audit_value(before), new)),
    )?;
    if after.team_id != before.team_id {
        // The parties carry their case's team, for the possible-duplicate check; a case moves
        // (a transfer) only through here.
        diesel::update(case_parties::table.filter(case_parties::case_id.eq(&after.id)))
            .set(case_parties::team_id.eq(&after.team_id))
            .execute(conn)?;
    }
    // Last, for the reason given in `create`.
    crate::stats::counters::apply(conn, Some(before), Some(&after))?;
    Ok(after)
}

/// A party of the case, numbered `position` in its log book.
fn new_party(case: &Case, position: i32, p: &NewParty) -> Party {
    Party {
        id: new_id(),
        case_id: case.id.clone(),
        team_id: case.team_id.clone(),
        position,
        kind: p.kind.as_str().into(),
        role: p.role.as_str().into(),
        name_key: text::fold(&p.full_name),
        full_name: p.full_name.trim().to_string(),
        age: p.age,
        birth_year: p.birth_year,
        address: p.address.clone(),
        phone: p.phone.clone(),
        id_number: None,
        demand: None,
    }
}

/// The parties after a correction: each patch applied to the party it names (by id, else by
/// position), every field it does not name kept; parties no patch names kept as they are;
/// unmatched patches added at the end; then numbered 1, 2, … in log-book order.
fn corrected_parties(case: &Case, existing: &[Party], patches: &[PartyPatch]) -> Result<Vec<Party>, ApiError> {
    let mut parties: Vec<Party> = existing.to_vec();
    parties.sort_by_key(|p| p.position);
    let mut removed: Vec<String> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    for (i, p) in patches.iter().enumerate() {
        let field = |name: &str| format!("parties[{i}].{name}");
        let position = i as i32 + 1;
        let index = match p.id {
            Some(pid) => {
                let pid = pid.to_string();
                Some(parties.iter().position(|e| e.id == pid).ok_or_else(|| ApiError::invalid_field(field("id"), "not_found"))?)
            }
            // Parties added by earlier items sit after every existing position.
            None => parties.iter().position(|e| e.position == position),
        };
        if let Some(ix) = index {
            if named.contains(&parties[ix].id) {
                return Err(ApiError::invalid_field(field("id"), "duplicate"));
            }
            named.push(parties[ix].id.clone());
        }
        if p.removed {
            let Some(ix) = index else { return Err(ApiError::invalid_field(field("removed"), "not_found")) };
            let names_more = p.kind.is_some()
                || p.role.is_some()
                || p.full_name.is_some()
                || p.age.is_some()
                || p.birth_year.is_some()
                || p.address.is_some()
                || p.phone.is_some();
            if names_more {
                return Err(ApiError::invalid_field(field("removed"), "invalid_value"));
            }
            removed.push(parties[ix].id.clone());
            continue;
        }
        let ix = match index {
            Some(ix) => ix,
            None => {
                let kind = p.kind.ok_or_else(|| ApiError::invalid_field(field("kind"), "required"))?;
                let full_name = p.full_name.clone().ok_or_else(|| ApiError::invalid_field(field("full_name"), "required"))?;
                let role = p.role.unwrap_or(PartyRole::Party);
                let template = NewParty { kind, role, full_name, age: None, birth_year: None, address: None, phone: None };
                // After every existing party, in the order the patches add them.
                parties.push(new_party(case, i32::MAX / 2 + position, &template));
                parties.len() - 1
            }
        };
        let row = &mut parties[ix];
        if let Some(k) = p.kind {
            row.kind = k.as_str().into();
        }
        if let Some(r) = p.role {
            row.role = r.as_str().into();
        }
        if let Some(n) = &p.full_name {
            row.full_name = n.trim().to_string();
            row.name_key = text::fold(n);
        }
        if let Some(a) = p.age {
            row.age = a;
        }
        if let Some(b) = p.birth_year {
            row.birth_year = b;
        }
        if let Some(a) = &p.address {
            row.address = a.clone();
        }
        if let Some(ph) = &p.phone {
            row.phone = ph.clone();
        }
    }
    parties.retain(|p| !removed.contains(&p.id));
    if parties.is_empty() {
        return Err(ApiError::invalid_field("parties", "invalid_value")
            .with_detail("Vụ việc phải có ít nhất một bên", "A case keeps at least one party"));
    }
    parties.sort_by_key(|p| p.position);
    for (i, p) in parties.iter_mut().enumerate() {
        p.position = i as i32 + 1;
    }
    Ok(parties)
}

/// The narrative fields a change touched, by name (their text stays out of the audit log).
fn narrative_changes(before: &Case, after: &Case) -> Vec<String> {
    let mut names = Vec::new();
    if before.summary != after.summary {
        names.push("summary".to_string());
    }
    if before.notes != after.notes {
        names.push("notes".to_string());
    }
    if before.agreement_text != after.agreement_text {
        names.push("agreement_text".to_string());
    }
    if before.referring_body != after.referring_body {
        names.push("referring_body".to_string());
    }
    names
}

/// The party fields a correction changed, as `parties[N].field` with N the log-book position
/// (1-based) the party has after the change, or had before it when removed.
fn party_changes(before: &[Party], after: &[Party]) -> Vec<String> {
    let mut names = Vec::new();
    for a in after {
        let Some(b) = before.iter().find(|b| b.id == a.id) else {
            names.push(format!("parties[{}]:added", a.position));
            continue;
        };
        let fields: [(&str, bool); 8] = [
            ("position", a.position != b.position),
            ("kind", a.kind != b.kind),
            ("role", a.role != b.role),
            ("full_name", a.full_name != b.full_name),
            ("age", a.age != b.age),
            ("birth_year", a.birth_year != b.birth_year),
            ("address", a.address != b.address),
            ("phone", a.phone != b.phone),
        ];
        names.extend(fields.iter().filter(|(_, changed)| *changed).map(|(f, _)| format!("parties[{}].{f}", a.position)));
    }
    for b in before.iter().filter(|b| !after.iter().any(|a| a.id == b.id)) {
        names.push(format!("parties[{}]:removed", b.position));
    }
    names
}

/// What a new case is compared with to find possible duplicates.
pub struct DuplicateProbe {
    team_id: String,
    /// The new case's id, when the phone chose it (a retry must not find itself).
    case_id: String,
    received_on: NaiveDate,
    name_keys: Vec<String>,
}

impl DuplicateProbe {
    pub fn of(input: &CreateCase) -> DuplicateProbe {
        DuplicateProbe {
            team_id: input.team_id.to_string(),
            case_id: input.id.map(|u| u.to_string()).unwrap_or_default(),
            received_on: input.received_on.unwrap_or_else(today),
            name_keys: input.parties.iter().map(|p| text::fold(&p.full_name)).collect(),
        }
    }
}

/// The cases of the same team, received within 30 days, sharing a party's name. Read outside the
/// write: a case committed meanwhile by another request is not seen, as it would not have been
/// had it come a moment later. The caller's right to the team is checked by the write, which
/// drops these ids when it refuses.
pub fn possible_duplicates(conn: &mut DbConn, probe: &DuplicateProbe) -> Result<Vec<String>, ApiError> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    if probe.name_keys.is_empty() {
        return Ok(Vec::new());
    }
    // Bound rather than `eq_any`, which SQLite would prepare afresh on every create (`db::bound`).
    // Found from the names (`case_parties_name_key`: name key, team): the team's parties of those
    // names, whenever received, then their cases' days — as many look-ups as the team has
    // parties of those names, not as many as it has cases in the window.
    let ids: Vec<Id> = Bound::new(format!(
        "SELECT c.id FROM case_parties p JOIN cases c ON c.id = p.case_id \
         WHERE p.name_key IN ({}) AND p.team_id = ? AND p.case_id <> ? AND c.received_on BETWEEN ? AND ?",
        bound::list(probe.name_keys.len())
    ))
    .binding(probe.name_keys.iter().map(String::as_str))
    .bind(probe.team_id.as_str())
    .bind(probe.case_id.as_str())
    .bind(probe.received_on - Duration::days(30))
    .bind(probe.received_on + Duration::days(30))
    .load(conn)?;
    // Sorted and deduplicated here (two names may find one case), not by the database.
    let mut ids: Vec<String> = ids.into_iter().map(|i| i.id).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The next line of a team's log book for a year, taken now, in the caller's transaction (a case
/// carried on by a successor team): the counter row stays locked until the commit, so writers of
/// the same book queue on it, and a rollback gives the line back. A missing row (a book written
/// before the counters, or by the bench seeder) starts after the highest line in the book. A new
/// case plans its line instead (`planned_logbook_line`).
fn next_logbook_line(conn: &mut DbConn, team_id: &str, year: i32) -> Result<i32, ApiError> {
    logbook_line(
        conn,
        "INSERT INTO logbook_lines (team_id, year, last_line) \
         VALUES (?, ?, (SELECT COALESCE(MAX(logbook_line), 0) + 1 FROM cases WHERE team_id = ? AND received_year = ?)) \
         ON CONFLICT (team_id, year) DO UPDATE SET last_line = logbook_lines.last_line + 1 RETURNING last_line AS line",
        team_id,
        year,
    )
}

/// The line a new case of the team and year will take: the one after the book's last, read
/// without taking it. The write's guard (`logbook_line_guard`) takes it only if it is still free.
fn planned_logbook_line(conn: &mut DbConn, team_id: &str, year: i32) -> Result<i32, ApiError> {
    logbook_line(
        conn,
        "SELECT COALESCE((SELECT last_line FROM logbook_lines WHERE team_id = ? AND year = ?), \
         (SELECT MAX(logbook_line) FROM cases WHERE team_id = ? AND received_year = ?), 0) + 1 AS line",
        team_id,
        year,
    )
}

/// The one line a statement about a team's book for a year answers (`line`), its `?`s bound to
/// the team and the year, twice: the book's counter row, then the book's cases.
fn logbook_line(conn: &mut DbConn, sql: &'static str, team_id: &str, year: i32) -> Result<i32, ApiError> {
    use diesel::sql_types::Integer;
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Integer)]
        line: i32,
    }
    let line: Vec<Line> = Bound::new(sql).bind(team_id).bind(year).bind(team_id).bind(year).load(conn)?;
    line.first().map(|l| l.line).ok_or_else(ApiError::internal)
}

/// The guard of a new case's write (`db::planned`): takes the planned line of the team's book
/// for the year if no other case took it meanwhile, the team is the one the rules were checked
/// against (same version: not dissolved, not moved since) and no case with the new one's id was
/// made meanwhile (a retry racing its first try: the plan made again answers with that case).
/// Writes nothing otherwise.
fn logbook_line_guard(team: &Team, case: &Case) -> Bound {
    Bound::new(
        "INSERT INTO logbook_lines (team_id, year, last_line) SELECT ?, ?, ? \
         WHERE EXISTS (SELECT 1 FROM teams WHERE id = ? AND version = ?) AND NOT EXISTS (SELECT 1 FROM cases WHERE id = ?) \
         ON CONFLICT (team_id, year) DO UPDATE SET last_line = excluded.last_line \
         WHERE logbook_lines.last_line = excluded.last_line - 1",
    )
    .bind(case.team_id.as_str())
    .bind(case.received_year)
    .bind(case.logbook_line)
    .bind(team.id.as_str())
    .bind(team.version)
    .bind(case.id.as_str())
}

/// The case's row as an insert of a planned write.
fn case_insert(c: &Case) -> Insert {
    let mut i = Insert::into(
        "cases (id, team_id, unit_id, unit_path, received_on, received_year, received_month, logbook_line, logbook_volume, basis, \
         referring_body, category, summary, summary_key, status, out_of_scope_reason, out_of_scope_referred_to, deadline_days, \
         start_deadline, deadline_exception, deadline_exception_note, started_on, end_reason, ended_on, ended_year, ended_month, \
         agreement_text, referral_body, referral_date, written_agreement_date, written_agreement_signature, for_court_recognition, \
         notes, created_by, version, created_at, updated_at, transferred_from_team_id, transferred_from_line, transferred_on, \
         pseudonymised_on)",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    i.push(c.id.as_str());
    i.push(c.team_id.as_str());
    i.push(c.unit_id.as_str());
    i.push(c.unit_path.as_str());
    i.push(c.received_on);
    i.push(c.received_year);
    i.push(c.received_month);
    i.push(c.logbook_line);
    i.push(c.logbook_volume);
    i.push(c.basis.as_str());
    i.push(c.referring_body.clone());
    i.push(c.category.as_str());
    i.push(c.summary.as_str());
    i.push(c.summary_key.as_str());
    i.push(c.status.as_str());
    i.push(c.out_of_scope_reason.clone());
    i.push(c.out_of_scope_referred_to.clone());
    i.push(c.deadline_days);
    i.push(c.start_deadline);
    i.push(c.deadline_exception.clone());
    i.push(c.deadline_exception_note.clone());
    i.push(c.started_on);
    i.push(c.end_reason.clone());
    i.push(c.ended_on);
    i.push(c.ended_year);
    i.push(c.ended_month);
    i.push(c.agreement_text.clone());
    i.push(c.referral_body.clone());
    i.push(c.referral_date);
    i.push(c.written_agreement_date);
    i.push(c.written_agreement_signature.clone());
    i.push(c.for_court_recognition);
    i.push(c.notes.clone());
    i.push(c.created_by.as_str());
    i.push(c.version);
    i.push(c.created_at);
    i.push(c.updated_at);
    i.push(c.transferred_from_team_id.clone());
    i.push(c.transferred_from_line);
    i.push(c.transferred_on);
    i.push(c.pseudonymised_on);
    i
}

/// The parties of a new case as one multi-row insert of a planned write.
fn parties_insert(parties: &[Party]) -> Insert {
    let mut i = Insert::into(
        "case_parties (id, case_id, team_id, position, kind, role, full_name, name_key, age, birth_year, address, phone, id_number, demand)",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for p in parties {
        i.push(p.id.as_str());
        i.push(p.case_id.as_str());
        i.push(p.team_id.as_str());
        i.push(p.position);
        i.push(p.kind.as_str());
        i.push(p.role.as_str());
        i.push(p.full_name.as_str());
        i.push(p.name_key.as_str());
        i.push(p.age);
        i.push(p.birth_year);
        i.push(p.address.clone());
        i.push(p.phone.clone());
        i.push(p.id_number.clone());
        i.push(p.demand.clone());
    }
    i
}

/// What opening a case will do, planned from reads (`db::planned`).
pub enum CreatePlan {
    /// The case exists: a retry with the id the phone chose, answered with the case (200).
    Existing(CaseDto),
    /// A new case: its answer, and its rows — the case, its parties, its audit row and the
    /// statistics' counters — behind the guard of its log-book line.
    New(CaseDto, Writes),
}

/// Plans opening a case: the rules are checked and the rows built from what is read now.
///
/// `duplicates` are the team's cases that may be the same matter (`possible_duplicates`), read
/// before the write's turn: a warning, not a rule, so it needs no write lock.
pub fn plan_create(
    conn: &mut DbConn,
    actor: &Actor,
    input: &CreateCase,
    deadline_days: i32,
    duplicates: &[String],
) -> Result<CreatePlan, ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = by_id(conn, &id)? {
        return replay(conn, actor, existing, input).map(|(dto, _)| CreatePlan::Existing(dto));
    }
    ensure_casework_scope(actor)?;
    let team =
        crate::teams::store::find(conn, actor, &input.team_id.to_string()).map_err(|_| ApiError::invalid_field("team_id", "not_found"))?;
    let received_on = input.received_on.unwrap_or_else(today);
    not_future("received_on", received_on)?;
    not_before("received_on", received_on, team.founded_on)?;
    if team.dissolved_on.is_some_and(|d| d <= received_on) {
        return Err(ApiError::invalid_field("team_id", "invalid_value").with_detail("Tổ hòa giải đã giải thể", "The team was dissolved"));
    }
    // A village closed by a merger takes no new case: the successor's team does.
    crate::units::validity::ensure_open(conn, &team.unit_path, received_on, "received_on")?;
    if input.basis == Basis::Referral && input.referring_body.is_none() {
        return Err(ApiError::invalid_field("referring_body", "required"));
    }
    let stamp = now();
    let summary = input.summary.trim().to_string();
    let (received_year, received_month) = year_and_month(received_on);
    let mut case = Case {
        id: id.clone(),
        team_id: team.id.clone(),
        unit_id: team.unit_id.clone(),
        unit_path: team.unit_path.clone(),
        received_on,
        received_year,
        received_month,
        logbook_line: 0,
        logbook_volume: input.logbook_volume,
        basis: input.basis.as_str().into(),
        referring_body: input.referring_body.clone(),
        category: input.category.as_str().into(),
        summary_key: text::fold(&summary),
        summary,
        status: CaseStatus::Received.as_str().into(),
        out_of_scope_reason: None,
        out_of_scope_referred_to: None,
        deadline_days,
        start_deadline: None,
        deadline_exception: None,
        deadline_exception_note: None,
        started_on: None,
        end_reason: None,
        ended_on: None,
        ended_year: None,
        ended_month: None,
        agreement_text: None,
        referral_body: None,
        referral_date: None,
        written_agreement_date: None,
        written_agreement_signature: None,
        for_court_recognition: false,
        notes: input.notes.clone(),
        created_by: actor.id.clone(),
        version: 1,
        created_at: stamp,
        updated_at: stamp,
        transferred_from_team_id: None,
        transferred_from_line: None,
        transferred_on: None,
        pseudonymised_on: None,
    };
    case.logbook_line = planned_logbook_line(conn, &case.team_id, case.received_year)?;
    let parties: Vec<Party> = input.parties.iter().enumerate().map(|(i, p)| new_party(&case, i as i32 + 1, p)).collect();
    let audit_row = audit::insert_of(
        &Who::from(actor),
        Change {
            action: "create",
            entity: "case",
            entity_id: &case.id,
            unit_path: Some(&case.unit_path),
            old: None,
            new: Some(audit_value(&case)),
        },
    );
    // The counters last: their rows are shared with every case of the unit, and a row written
    // stays locked until the commit, so the less that follows, the less other writers wait.
    let writes = Writes::guarded_by(logbook_line_guard(&team, &case))
        .insert(case_insert(&case))
        .insert(parties_insert(&parties))
        .insert(audit_row)
        .insert_all(crate::stats::counters::rollup_inserts(conn, None, Some(&case)));
    // A new case has only its parties: the answer is built from the rows about to be written.
    let mut dto = dto_of(actor, case, Children { parties, ..Children::default() })?;
    if !duplicates.is_empty() {
        dto.warnings.push(CaseWarning { code: "possible_duplicate", case_ids: duplicates.to_vec() });
    }
    Ok(CreatePlan::New(dto, writes))
}

/// Opens a case in the caller's transaction (the demo's seeding): planned and written at once. A
/// retry with the same id answers the case already made (`created == false`).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: &CreateCase,
    deadline_days: i32,
    duplicates: &[String],
) -> Result<(CaseDto, bool), ApiError> {
    match plan_create(conn, actor, input, deadline_days, duplicates)? {
        CreatePlan::Existing(dto) => Ok((dto, false)),
        CreatePlan::New(dto, writes) => match writes.apply_in_transaction(conn)? {
            Applied::Done => Ok((dto, true)),
            // Planned in this same transaction: nothing can have taken the line meanwhile.
            Applied::Stale | Applied::KeyTaken => Err(ApiError::internal()),
        },
    }
}

/// A create whose id exists: the same case again is a retry (answered with the case); anything
/// else reusing the id is refused.
fn replay(conn: &mut DbConn, actor: &Actor, existing: Case, input: &CreateCase) -> Result<(CaseDto, bool), ApiError> {
    let same = existing.team_id == input.team_id.to_string()
        && existing.created_by == actor.id
        && existing.summary == input.summary.trim()
        && input.received_on.is_none_or(|d| d == existing.received_on);
    if !same {
        return Err(ApiError::conflict("already_exists"));
    }
    let case = find(conn, actor, &existing.id)?;
    Ok((detail(conn, actor, case)?, false))
}

/// Changes a case's details. After the end only officers may, and it is recorded as a correction.
pub fn update(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateCase) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, Some(version), Command::EditDetails)?;
    let concluded = rules::is_concluded(status_of(&case.status)?);
    if concluded && actor.role != Role::Officer {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "correction_requires_officer"));
    }
    if !concluded && (patch.agreement_text.is_some() || patch.ended_on.is_some()) {
        return Err(ApiError::invalid_field(if patch.ended_on.is_some() { "ended_on" } else { "agreement_text" }, "invalid_value"));
    }
    let mut next = case.clone();
    if let Some(d) = patch.received_on {
        not_future("received_on", d)?;
        if d.year() != case.received_year {
            // The line belongs to the year's book; moving a case to another year is a new case.
            return Err(ApiError::invalid_field("received_on", "invalid_value")
                .with_detail("Không thể chuyển vụ việc sang sổ của năm khác", "A case cannot move to another year's log book"));
        }
        next.received_on = d;
        (next.received_year, next.received_month) = year_and_month(d);
    }
    if next.ended_on.is_some_and(|e| e < next.received_on) {
        return Err(ApiError::invalid_field("received_on", "invalid_value")
            .with_detail("Ngày tiếp nhận không được sau ngày kết thúc", "The case cannot be received after it ended"));
    }
    if let Some(b) = patch.basis {
        next.basis = b.as_str().into();
    }
    if let Some(r) = patch.referring_body {
        next.referring_body = r;
    }
    if next.basis == Basis::Referral.as_str() && next.referring_body.is_none() {
        return Err(ApiError::invalid_field("referring_body", "required"));
    }
    if let Some(c) = patch.category {
        next.category = c.as_str().into();
    }
    if let Some(s) = patch.summary {
        next.summary = s.trim().to_string();
        next.summary_key = text::fold(&next.summary);
    }
    if let Some(n) = patch.notes {
        next.notes = n;
    }
    if let Some(v) = patch.logbook_volume {
        next.logbook_volume = v;
    }
    if let Some(t) = patch.agreement_text {
        next.agreement_text = Some(t);
    }
    if let Some(d) = patch.ended_on {
        not_future("ended_on", d)?;
        not_before("ended_on", d, next.received_on)?;
        next.set_ended_on(d);
    }
    let mut changed_fields = narrative_changes(&case, &next);
    if let Some(patches) = patch.parties {
        let existing = parties_of(conn, id)?;
        let parties = corrected_parties(&case, &existing, &patches)?;
        changed_fields.extend(party_changes(&existing, &parties));
        // Rewritten whole (ids kept): a reordering would otherwise trip over the unique
        // (case, position) pair row by row.
        diesel::delete(case_parties::table.filter(case_parties::case_id.eq(id))).execute(conn)?;
        crate::dispatch!(conn, |c| diesel::insert_into(case_parties::table).values(&parties).execute(c))?;
    }
    let action = if concluded { "correct" } else { "update" };
    // The audit keeps no personal data or narrative: for those it names the fields that changed.
    let extra = (!changed_fields.is_empty()).then(|| json!({ "changed_fields": changed_fields }));
    finish(conn, actor, &case, next, action, extra)
}

pub fn assign(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, input: AssignMediator) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::Assign)?;
    let mediator_id = input.mediator_id.to_string();
    // The mediator must serve in the case's team on the day of the assignment (a paper record
    // entered later names who served then, maybe in a team since re-formed after a merger).
    let on = input.assigned_on.unwrap_or_else(today);
    let serving =
        crate::mediators::store::memberships_of(conn, &mediator_id)?.into_iter().any(|m| m.team_id == case.team_id && m.active_on(on));
    if !serving {
        return Err(ApiError::invalid_field("mediator_id", "not_found")
            .with_detail("Hòa giải viên không thuộc tổ hòa giải của vụ việc", "The mediator does not serve in the case's team"));
    }
    let conflicted = case_conflicts::table
        .filter(case_conflicts::case_id.eq(id))
        .filter(case_conflicts::mediator_id.eq(&mediator_id))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if conflicted {
        return Err(ApiError::conflict("mediator_conflict_of_interest"));
    }
    let already = case_assignments::table
        .filter(case_assignments::case_id.eq(id))
        .filter(case_assignments::mediator_id.eq(&mediator_id))
        .filter(case_assignments::ended_on.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if already {
        return Err(ApiError::conflict("already_assigned"));
    }
    let assigned_on = input.assigned_on.unwrap_or_else(today);
    not_future("assigned_on", assigned_on)?;
    not_before("assigned_on", assigned_on, case.received_on)?;
    if let Some(replaced) = input.replaces {
        let n = diesel::update(
            case_assignments::table
                .filter(case_assignments::id.eq(replaced.to_string()))
                .filter(case_assignments::case_id.eq(id))
                .filter(case_assignments::ended_on.is_null()),
        )
        .set((
            case_assignments::ended_on.eq(assigned_on),
            case_assignments::end_reason.eq(AssignmentEnd::Reassigned.as_str()),
            case_assignments::end_note.eq(&input.reason),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(ApiError::invalid_field("replaces", "not_found"));
        }
    }
    let row = Assignment {
        id: new_id(),
        case_id: id.into(),
        mediator_id,
        assigned_on,
        chosen_by: input.chosen_by.as_str().into(),
        ended_on: None,
        end_reason: None,
        end_note: None,
        created_at: now(),
    };
    diesel::insert_into(case_assignments::table).values(&row).execute(conn)?;
    let mut next = case.clone();
    next.status = rules::next_status(status_of(&case.status)?, Command::Assign, None).as_str().into();
    if next.start_deadline.is_none() {
        next.start_deadline = Some(rules::start_deadline(assigned_on, case.deadline_days));
    }
    finish(conn, actor, &case, next, "assign", Some(json!({"mediator_id": row.mediator_id, "assigned_on": assigned_on})))
}

pub fn end_assignment(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    assignment_id: &str,
    if_match: Option<i32>,
    input: EndAssignment,
) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::EndAssignment)?;
    let ended_on = input.ended_on.unwrap_or_else(today);
    not_future("ended_on", ended_on)?;
    not_before("ended_on", ended_on, case.received_on)?;
    let assigned_on: Option<NaiveDate> = case_assignments::table
        .filter(case_assignments::id.eq(assignment_id))
        .filter(case_assignments::case_id.eq(id))
        .select(case_assignments::assigned_on)
        .first(conn)
        .optional()?;
    if let Some(assigned_on) = assigned_on {
        not_before("ended_on", ended_on, assigned_on)?;
    }
    let n = diesel::update(
        case_assignments::table
            .filter(case_assignments::id.eq(assignment_id))
            .filter(case_assignments::case_id.eq(id))
            .filter(case_assignments::ended_on.is_null()),
    )
    .set((
        case_assignments::ended_on.eq(ended_on),
        case_assignments::end_reason.eq(input.reason.as_str()),
        case_assignments::end_note.eq(&input.note),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::not_found());
    }
    let next = case.clone();
    finish(conn, actor, &case, next, "end_assignment", Some(json!({"assignment_id": assignment_id, "reason": input.reason.as_str()})))
}

pub fn flag_conflict(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, input: FlagConflict) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::FlagConflict)?;
    let mediator_id = input.mediator_id.to_string();
    crate::mediators::store::find(conn, actor, &mediator_id).map_err(|_| ApiError::invalid_field("mediator_id", "not_found"))?;
    // A recusal written down later (from the paper book) ends the assignment on its own day.
    let recused_on = input.recused_on.unwrap_or_else(today);
    not_future("recused_on", recused_on)?;
    not_before("recused_on", recused_on, case.received_on)?;
    let held: Option<NaiveDate> = case_assignments::table
        .filter(case_assignments::case_id.eq(id))
        .filter(case_assignments::mediator_id.eq(&mediator_id))
        .filter(case_assignments::ended_on.is_null())
        .select(case_assignments::assigned_on)
        .first(conn)
        .optional()?;
    if let Some(assigned_on) = held {
        not_before("recused_on", recused_on, assigned_on)?;
    }
    let exists = case_conflicts::table.find((id, &mediator_id)).count().get_result::<i64>(conn)? > 0;
    if !exists {
        diesel::insert_into(case_conflicts::table)
            .values(&Conflict { case_id: id.into(), mediator_id: mediator_id.clone(), note: input.note.clone(), created_at: now() })
            .execute(conn)?;
    }
    // An assignment the mediator holds ends as a recusal.
    diesel::update(
        case_assignments::table
            .filter(case_assignments::case_id.eq(id))
            .filter(case_assignments::mediator_id.eq(&mediator_id))
            .filter(case_assignments::ended_on.is_null()),
    )
    .set((case_assignments::ended_on.eq(recused_on), case_assignments::end_reason.eq(AssignmentEnd::Recusal.as_str())))
    .execute(conn)?;
    let next = case.clone();
    let extra = json!({"mediator_id": mediator_id, "recused_on": held.map(|_| recused_on)});
    finish(conn, actor, &case, next, "flag_conflict", Some(extra))
}

pub fn record_session(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, input: RecordSession) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::RecordSession)?;
    ensure_may_progress(conn, actor, &case)?;
    not_future("held_on", input.held_on)?;
    not_before("held_on", input.held_on, case.received_on)?;
    let row = Session {
        id: new_id(),
        case_id: id.into(),
        held_on: input.held_on,
        place: input.place,
        is_public: input.is_public,
        participants: serde_json::to_string(&input.participants).unwrap_or_else(|_| "[]".into()),
        notes: input.notes,
        created_at: now(),
    };
    diesel::insert_into(case_sessions::table).values(&row).execute(conn)?;
    let mut next = case.clone();
    if next.started_on.is_none_or(|d| input.held_on < d) {
        next.started_on = Some(input.held_on);
    }
    finish(conn, actor, &case, next, "session", Some(json!({"held_on": row.held_on, "is_public": row.is_public})))
}

pub fn record_escalation(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    if_match: Option<i32>,
    input: RecordEscalation,
) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::RecordEscalation)?;
    ensure_may_progress(conn, actor, &case)?;
    not_future("occurred_on", input.occurred_on)?;
    let row = Escalation {
        id: new_id(),
        case_id: id.into(),
        kind: input.kind.as_str().into(),
        occurred_on: input.occurred_on,
        notified: input.notified,
        notes: input.notes,
        created_at: now(),
    };
    diesel::insert_into(case_escalations::table).values(&row).execute(conn)?;
    let next = case.clone();
    finish(conn, actor, &case, next, "escalation", Some(json!({"kind": row.kind, "occurred_on": row.occurred_on})))
}

pub fn end(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, input: EndCase) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::End)?;
    ensure_may_progress(conn, actor, &case)?;
    let ended_on = input.ended_on.unwrap_or_else(today);
    not_future("ended_on", ended_on)?;
    not_before("ended_on", ended_on, case.received_on)?;
    let parties = parties_of(conn, id)?;
    let mut next = case.clone();
    match input.end_reason {
        EndReason::Agreement => {
            let Some(text) = input.agreement_text else { return Err(ApiError::invalid_field("agreement_text", "required")) };
            if input.referral.is_some() {
                return Err(ApiError::invalid_field("referral", "invalid_value"));
            }
            next.agreement_text = Some(text);
        }
        EndReason::PartyWithdrew | EndReason::MediatorEnded => {
            if input.demands.is_empty() {
                return Err(ApiError::invalid_field("demands", "required")
                    .with_detail("Ghi yêu cầu của mỗi bên (cột 6 của sổ)", "Record each party's demands (log book column 6)"));
            }
            for (i, d) in input.demands.iter().enumerate() {
                let party_id = d.party_id.to_string();
                if !parties.iter().any(|p| p.id == party_id) {
                    return Err(ApiError::invalid_field(format!("demands[{i}].party_id"), "not_found"));
                }
                diesel::update(case_parties::table.find(&party_id)).set(case_parties::demand.eq(&d.demand)).execute(conn)?;
            }
            if let Some(r) = input.referral {
                not_before("referral.date", r.date, ended_on)?;
                next.referral_body = Some(r.body);
                next.referral_date = Some(r.date);
            }
        }
    }
    next.status = rules::next_status(status_of(&case.status)?, Command::End, Some(input.end_reason)).as_str().into();
    next.end_reason = Some(input.end_reason.as_str().into());
    next.set_ended_on(ended_on);
    finish(conn, actor, &case, next, "end", None)
}

/// A commune officer corrects a recorded result: successful ↔ unsuccessful, or the details of the
/// same result. The statistics follow in the same transaction (through `finish`); the audit row
/// (`correct_result`) keeps the facts before and after and names the narrative fields changed.
pub fn correct_result(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, input: CorrectResult) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, Some(version), Command::CorrectResult)?;
    // The policy lets only officers call this; kept here too, as for the corrections by `update`.
    if actor.role != Role::Officer {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "correction_requires_officer"));
    }
    let was = status_of(&case.status)?;
    let status = rules::next_status(was, Command::CorrectResult, Some(input.end_reason));
    let ended_on = input.ended_on.or(case.ended_on).unwrap_or_else(today);
    not_future("ended_on", ended_on)?;
    not_before("ended_on", ended_on, case.received_on)?;
    let parties = parties_of(conn, id)?;
    let mut next = case.clone();
    let mut changed_fields: Vec<String> = Vec::new();
    if status == CaseStatus::Successful {
        if input.referral.is_some() {
            return Err(ApiError::invalid_field("referral", "invalid_value"));
        }
        if !input.demands.is_empty() {
            return Err(ApiError::invalid_field("demands", "invalid_value"));
        }
        match input.agreement_text {
            Some(text) => next.agreement_text = Some(text),
            None if was == CaseStatus::Successful => {}
            None => {
                return Err(ApiError::invalid_field("agreement_text", "required")
                    .with_detail("Ghi thỏa thuận của các bên (cột 6 của sổ)", "Record the parties' agreement (log book column 6)"))
            }
        }
        // Column 6 of a successful case holds the agreement: the demands and the referral of the
        // unsuccessful result it replaces no longer stand.
        for p in parties.iter().filter(|p| p.demand.is_some()) {
            diesel::update(case_parties::table.find(&p.id)).set(case_parties::demand.eq(None::<String>)).execute(conn)?;
            changed_fields.push(format!("parties[{}].demand", p.position));
        }
        next.referral_body = None;
        next.referral_date = None;
    } else {
        if input.agreement_text.is_some() {
            return Err(ApiError::invalid_field("agreement_text", "invalid_value"));
        }
        if was == CaseStatus::Successful {
            // A written agreement or a follow-up records that an agreement was carried out:
            // they are not thrown away by a correction of the result.
            let follow_ups = case_follow_ups::table.filter(case_follow_ups::case_id.eq(id)).count().get_result::<i64>(conn)?;
            if case.written_agreement_date.is_some() || follow_ups > 0 {
                return Err(ApiError::conflict("result_has_agreement_records").with_detail(
                    "Vụ việc đã có văn bản hòa giải thành hoặc theo dõi thực hiện thỏa thuận: không thể đính chính thành hòa giải không thành",
                    "The case has a written agreement or follow-ups of its agreement: it cannot be corrected to unsuccessful",
                ));
            }
            if input.demands.is_empty() {
                return Err(ApiError::invalid_field("demands", "required")
                    .with_detail("Ghi yêu cầu của mỗi bên (cột 6 của sổ)", "Record each party's demands (log book column 6)"));
            }
            next.agreement_text = None;
        }
        for (i, d) in input.demands.iter().enumerate() {
            let party_id = d.party_id.to_string();
            let Some(party) = parties.iter().find(|p| p.id == party_id) else {
                return Err(ApiError::invalid_field(format!("demands[{i}].party_id"), "not_found"));
            };
            if party.demand.as_deref() != Some(d.demand.as_str()) {
                diesel::update(case_parties::table.find(&party_id)).set(case_parties::demand.eq(&d.demand)).execute(conn)?;
                changed_fields.push(format!("parties[{}].demand", party.position));
            }
        }
        if let Some(r) = input.referral {
            not_before("referral.date", r.date, ended_on)?;
            not_future("referral.date", r.date)?;
            next.referral_body = Some(r.body);
            next.referral_date = Some(r.date);
        }
    }
    next.status = status.as_str().into();
    next.end_reason = Some(input.end_reason.as_str().into());
    next.set_ended_on(ended_on);
    changed_fields.extend(narrative_changes(&case, &next));
    if case.referral_body != next.referral_body {
        changed_fields.push("referral".into());
    }
    // The audit keeps no personal data or narrative: for those it names the fields that changed.
    let extra = json!({ "changed_fields": changed_fields });
    finish(conn, actor, &case, next, "correct_result", Some(extra))
}

pub fn mark_out_of_scope(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    if_match: Option<i32>,
    input: MarkOutOfScope,
) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::MarkOutOfScope)?;
    // A finding copied from the paper book keeps its own day: the statistics count it there.
    let day = input.decided_on.unwrap_or_else(today);
    not_future("decided_on", day)?;
    not_before("decided_on", day, case.received_on)?;
    let mut next = case.clone();
    next.status = rules::next_status(status_of(&case.status)?, Command::MarkOutOfScope, None).as_str().into();
    next.out_of_scope_reason = Some(input.reason);
    next.out_of_scope_referred_to = input.referred_to;
    next.set_ended_on(day);
    finish(conn, actor, &case, next, "out_of_scope", None)
}

pub fn record_referral(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, input: Referral) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::RecordReferral)?;
    if let Some(ended) = case.ended_on {
        not_before("date", input.date, ended)?;
    }
    not_future("date", input.date)?;
    let mut next = case.clone();
    next.referral_body = Some(input.body);
    next.referral_date = Some(input.date);
    finish(conn, actor, &case, next, "referral", None)
}

/// Moves an open case to a successor team (officers: the commune decides who carries it on).
pub fn transfer(conn: &mut DbConn, actor: &Actor, id: &str, if_match: Option<i32>, input: TransferCase) -> Result<Case, ApiError> {
    actor.require(crate::auth::Action::TransferCases)?;
    let case = begin(conn, actor, id, if_match, Command::Transfer)?;
    let on = input.transferred_on.unwrap_or_else(today);
    not_future("transferred_on", on)?;
    not_before("transferred_on", on, case.received_on)?;
    let to =
        crate::teams::store::find(conn, actor, &input.team_id.to_string()).map_err(|_| ApiError::invalid_field("team_id", "not_found"))?;
    if to.id == case.team_id {
        return Err(ApiError::invalid_field("team_id", "invalid_value"));
    }
    if !crate::teams::store::carries_on(conn, &to, &case.team_id, &case.unit_path)? {
        return Err(ApiError::invalid_field("team_id", "not_a_successor").with_detail(
            "Tổ nhận không thuộc đơn vị kế thừa nơi tiếp nhận vụ việc",
            "The team is not in a unit that succeeds the one where the case was received",
        ));
    }
    if to.founded_on > on || to.dissolved_on.is_some_and(|d| d <= on) {
        return Err(ApiError::invalid_field("team_id", "invalid_value")
            .with_detail("Tổ hòa giải chưa thành lập hoặc đã giải thể vào ngày chuyển", "The team does not work on that day"));
    }
    crate::units::validity::ensure_open(conn, &to.unit_path, on, "transferred_on")?;
    let mut next = case.clone();
    // A second move keeps the first origin: the line the case was first written on.
    if next.transferred_from_team_id.is_none() {
        next.transferred_from_team_id = Some(case.team_id.clone());
        next.transferred_from_line = Some(case.logbook_line);
    }
    next.transferred_on = Some(on);
    next.team_id = to.id.clone();
    next.logbook_line = next_logbook_line(conn, &to.id, case.received_year)?;
    let moved = serde_json::json!({"from_team_id": case.team_id, "from_logbook_line": case.logbook_line});
    finish(conn, actor, &case, next, "transfer", Some(moved))
}

pub fn record_written_agreement(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    if_match: Option<i32>,
    input: RecordWrittenAgreement,
) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::RecordWrittenAgreement)?;
    not_future("date", input.date)?;
    if !input.for_court_recognition && !input.id_numbers.is_empty() {
        // Data minimisation: ID numbers only for an agreement a court will be asked to recognise.
        return Err(ApiError::invalid_field("id_numbers", "id_number_not_allowed").with_detail(
            "Chỉ ghi số giấy tờ tùy thân khi văn bản hòa giải thành được đề nghị Tòa án công nhận",
            "ID numbers are recorded only for an agreement to be recognised by a court",
        ));
    }
    let parties = parties_of(conn, id)?;
    for (i, n) in input.id_numbers.iter().enumerate() {
        let party_id = n.party_id.to_string();
        if !parties.iter().any(|p| p.id == party_id) {
            return Err(ApiError::invalid_field(format!("id_numbers[{i}].party_id"), "not_found"));
        }
        diesel::update(case_parties::table.find(&party_id)).set(case_parties::id_number.eq(n.id_number.trim())).execute(conn)?;
    }
    let mut next = case.clone();
    next.written_agreement_date = Some(input.date);
    next.written_agreement_signature = Some(input.signature.as_str().into());
    next.for_court_recognition = input.for_court_recognition;
    finish(conn, actor, &case, next, "written_agreement", None)
}

pub fn record_follow_up(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    if_match: Option<i32>,
    input: RecordFollowUp,
) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::RecordFollowUp)?;
    not_future("checked_on", input.checked_on)?;
    if let Some(ended) = case.ended_on {
        not_before("checked_on", input.checked_on, ended)?;
    }
    let row = FollowUp {
        id: new_id(),
        case_id: id.into(),
        checked_on: input.checked_on,
        status: input.status.as_str().into(),
        notes: input.notes,
        created_at: now(),
    };
    diesel::insert_into(case_follow_ups::table).values(&row).execute(conn)?;
    let next = case.clone();
    finish(conn, actor, &case, next, "follow_up", Some(json!({"checked_on": row.checked_on, "implementation": row.status})))
}

pub fn record_deadline_exception(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    if_match: Option<i32>,
    input: RecordDeadlineException,
) -> Result<Case, ApiError> {
    let case = begin(conn, actor, id, if_match, Command::RecordDeadlineException)?;
    let mut next = case.clone();
    next.deadline_exception = Some(input.kind.as_str().into());
    next.deadline_exception_note = input.note;
    finish(conn, actor, &case, next, "deadline_exception", None)
}

/// Records that the caller read a case's personal data (the law asks for confidentiality; the
/// audit shows who looked).
pub fn record_read(log: &audit::ReadLog, actor: &Actor, case: &Case) -> audit::ReadReceipt {
    log.record(
        &Who::from(actor),
        Change { action: "read", entity: "case", entity_id: &case.id, unit_path: Some(&case.unit_path), old: None, new: None },
    )
}
