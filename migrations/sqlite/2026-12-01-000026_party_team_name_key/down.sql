CREATE TABLE case_parties_without_team (
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
INSERT INTO case_parties_without_team (id, case_id, position, kind, role, full_name, name_key, age, birth_year, address, phone,
        id_number, demand)
    SELECT id, case_id, position, kind, role, full_name, name_key, age, birth_year, address, phone, id_number, demand
    FROM case_parties;
DROP TABLE case_parties;
ALTER TABLE case_parties_without_team RENAME TO case_parties;
CREATE INDEX case_parties_case ON case_parties (case_id, name_key);
CREATE INDEX case_parties_name_key ON case_parties (name_key);
