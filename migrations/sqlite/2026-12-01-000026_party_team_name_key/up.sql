-- A party carries its case's team, and the possible-duplicate check finds a name within a team by
-- one index (issue #12, a create's cost). Keep in step with
-- ../../postgres/2026-12-01-000026_party_team_name_key/up.sql.
--
-- The check (a new case's parties against the same team's cases received within 30 days) walked
-- the team's cases in the window by date (cases_team_received) and probed each one's parties by
-- name (case_parties_case): its cost grew with how many cases the team had received lately, not
-- with how many share a name — a quarter of a create's server time under the benchmark, whose
-- teams receive a case every few seconds. With the team beside the name key it reads the team's
-- parties of that name only, and the few cases they belong to.
--
-- case_parties_case (case_id, name_key) served that probe alone; reads of a case's parties (by
-- case, in log-book order) use the (case_id, position) key of the UNIQUE constraint. The team is
-- kept in step by the one write that moves a case (cases::store::finish).
--
-- SQLite adds a NOT NULL column only with a default, and a default would let a write that
-- forgets the team pass unnoticed: the table is rebuilt, as 000025 rebuilt the rollups.
CREATE TABLE case_parties_with_team (
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
    -- The team whose book holds the case today (cases.team_id).
    team_id TEXT NOT NULL REFERENCES teams (id),
    UNIQUE (case_id, position)
);
INSERT INTO case_parties_with_team (id, case_id, position, kind, role, full_name, name_key, age, birth_year, address, phone,
        id_number, demand, team_id)
    SELECT p.id, p.case_id, p.position, p.kind, p.role, p.full_name, p.name_key, p.age, p.birth_year, p.address, p.phone,
        p.id_number, p.demand, c.team_id
    FROM case_parties p JOIN cases c ON c.id = p.case_id;
DROP TABLE case_parties;
ALTER TABLE case_parties_with_team RENAME TO case_parties;
-- A name within a team; a name alone (a data subject's request) by its prefix.
CREATE INDEX case_parties_name_key ON case_parties (name_key, team_id);
