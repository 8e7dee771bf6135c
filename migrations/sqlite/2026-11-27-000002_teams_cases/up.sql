-- Teams, mediators and cases: the log book (Sổ theo dõi hoạt động hòa giải ở cơ sở).
-- Keep in step with ../../postgres/2026-11-27-000002_teams_cases/up.sql (same tables, same columns).

CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    -- The village the team serves, and its path (the team's scope).
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    founded_on DATE NOT NULL,
    dissolved_on DATE,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (dissolved_on IS NULL OR dissolved_on >= founded_on)
);
CREATE INDEX teams_unit_path ON teams (unit_path);
CREATE INDEX teams_unit ON teams (unit_id);

-- Lineage: the teams a re-formed or merged team continues.
CREATE TABLE team_predecessors (
    team_id TEXT NOT NULL REFERENCES teams (id),
    predecessor_id TEXT NOT NULL REFERENCES teams (id),
    PRIMARY KEY (team_id, predecessor_id),
    CHECK (team_id <> predecessor_id)
);

CREATE TABLE mediators (
    id TEXT PRIMARY KEY NOT NULL,
    full_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male')),
    birth_year INTEGER,
    -- Sensitive personal data (ethnic origin): shown only to roles that manage mediators.
    ethnic_minority BOOLEAN NOT NULL DEFAULT 0,
    -- Residence village; also the scope the record belongs to.
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    phone TEXT,
    legal_training TEXT NOT NULL DEFAULT 'none' CHECK (legal_training IN ('none', 'basic', 'degree')),
    occupation TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX mediators_unit_path ON mediators (unit_path);
CREATE INDEX mediators_search_key ON mediators (search_key);

-- Membership history: who served in which team, as what, recognised by which decision.
CREATE TABLE memberships (
    id TEXT PRIMARY KEY NOT NULL,
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'member')),
    recognition_decision TEXT,
    recognition_date DATE,
    from_date DATE NOT NULL,
    to_date DATE,
    end_reason TEXT CHECK (end_reason IN ('own_wish', 'no_longer_meets_criteria', 'violation')),
    end_decision TEXT,
    end_decision_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX memberships_team ON memberships (team_id);
CREATE INDEX memberships_mediator ON memberships (mediator_id);

-- A team leader's or mediator's account is linked to their mediator record.
ALTER TABLE users ADD COLUMN mediator_id TEXT REFERENCES mediators (id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT NOT NULL,
    received_on DATE NOT NULL,
    -- Period keys stored at write time, so statistics are a plain GROUP BY on both backends.
    received_year INTEGER NOT NULL,
    received_month INTEGER NOT NULL,
    -- The line of the team's log book for the year (STT), and the volume it is written in.
    logbook_line INTEGER NOT NULL,
    logbook_volume INTEGER,
    basis TEXT NOT NULL CHECK (basis IN ('party_request', 'mediator_initiative', 'leader_assignment', 'referral')),
    referring_body TEXT,
    category TEXT NOT NULL CHECK (category IN ('family_marriage', 'land', 'civil_property', 'neighbourhood', 'minor_violation', 'other')),
    -- The main content of the matter (log book column 5). A narrative: sensitive.
    summary TEXT NOT NULL,
    summary_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'in_progress', 'successful', 'unsuccessful', 'out_of_scope')),
    out_of_scope_reason TEXT,
    out_of_scope_referred_to TEXT,
    deadline_days INTEGER NOT NULL,
    start_deadline DATE,
    deadline_exception TEXT CHECK (deadline_exception IN ('immediate', 'parties_agreed_time')),
    deadline_exception_note TEXT,
    started_on DATE,
    end_reason TEXT CHECK (end_reason IN ('agreement', 'party_withdrew', 'mediator_ended')),
    ended_on DATE,
    ended_year INTEGER,
    ended_month INTEGER,
    agreement_text TEXT,
    referral_body TEXT,
    referral_date DATE,
    written_agreement_date DATE,
    written_agreement_signature TEXT CHECK (written_agreement_signature IN ('signed', 'fingerprinted')),
    for_court_recognition BOOLEAN NOT NULL DEFAULT 0,
    notes TEXT,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (team_id, received_year, logbook_line)
);
CREATE INDEX cases_unit_path ON cases (unit_path);
CREATE INDEX cases_team_received ON cases (team_id, received_on);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_updated ON cases (updated_at, id);

CREATE TABLE case_parties (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'group', 'family', 'organisation')),
    role TEXT NOT NULL CHECK (role IN ('party', 'related_person')),
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    age INTEGER,
    birth_year INTEGER,
    address TEXT,
    phone TEXT,
    -- Only when a written agreement is made for court recognition.
    id_number TEXT,
    -- What this party asked for, when no agreement was reached (log book column 6).
    demand TEXT,
    UNIQUE (case_id, position)
);
CREATE INDEX case_parties_case ON case_parties (case_id);
CREATE INDEX case_parties_name_key ON case_parties (name_key);

CREATE TABLE case_assignments (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    assigned_on DATE NOT NULL,
    chosen_by TEXT NOT NULL CHECK (chosen_by IN ('parties', 'leader')),
    ended_on DATE,
    end_reason TEXT CHECK (end_reason IN ('recusal', 'reassigned')),
    end_note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_assignments_case ON case_assignments (case_id);
CREATE INDEX case_assignments_mediator ON case_assignments (mediator_id);

-- A mediator with an interest in the case (quyền lợi liên quan): may not be assigned to it.
CREATE TABLE case_conflicts (
    case_id TEXT NOT NULL REFERENCES cases (id),
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, mediator_id)
);

CREATE TABLE case_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    held_on DATE NOT NULL,
    place TEXT,
    is_public BOOLEAN NOT NULL DEFAULT 0,
    -- JSON: [{"name": …, "role": …}], invited participants.
    participants TEXT NOT NULL,
    notes TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_sessions_case ON case_sessions (case_id);

CREATE TABLE case_escalations (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('violence_risk', 'offence_signs')),
    occurred_on DATE NOT NULL,
    notified TEXT NOT NULL,
    notes TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_escalations_case ON case_escalations (case_id);

CREATE TABLE case_follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    checked_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('implemented', 'partially_implemented', 'not_implemented')),
    notes TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_follow_ups_case ON case_follow_ups (case_id);
