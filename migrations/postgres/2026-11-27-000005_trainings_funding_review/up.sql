-- Trainings, funding and the year-end review: the evidence the access-to-law assessment asks for.
-- Keep in step with ../../sqlite/2026-11-27-000005_trainings_funding_review/up.sql.

-- A training event (tập huấn, bồi dưỡng), kept by the unit that records it; `level` is who held it.
CREATE TABLE trainings (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    held_on DATE NOT NULL,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    trainer TEXT,
    level TEXT NOT NULL CHECK (level IN ('commune', 'district', 'province', 'national')),
    place TEXT,
    -- JSON array of topics.
    topics TEXT NOT NULL,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX trainings_unit_path ON trainings (unit_path, held_on);

CREATE TABLE training_attendance (
    training_id TEXT NOT NULL REFERENCES trainings (id),
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    present BOOLEAN NOT NULL,
    PRIMARY KEY (training_id, mediator_id)
);
CREATE INDEX training_attendance_mediator ON training_attendance (mediator_id);

-- Rates set by a province's People's Council (or a lower unit's own decision), for the subtree of
-- `unit_id`, as of dates. The most specific unit wins; the unit is the one valid when the rate was
-- set, so communes that moved to another province keep their old rates until a new one is made.
CREATE TABLE funding_policies (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    legal_basis TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    item TEXT NOT NULL CHECK (item IN ('case_fee', 'team_support', 'training', 'election', 'award', 'incident_support')),
    rate BIGINT NOT NULL CHECK (rate >= 0),
    rate_unit TEXT NOT NULL CHECK (rate_unit IN ('per_case_per_team', 'per_team_per_month', 'per_team_per_year', 'per_event', 'per_person')),
    -- Only for cases with this result (a lower rate for unsuccessful cases); none: every lawful end.
    outcome TEXT CHECK (outcome IN ('successful', 'unsuccessful')),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX funding_policies_unit_path ON funding_policies (unit_path);

-- Budget estimates (dự toán) per commune, year and item, with the approving decision.
CREATE TABLE budgets (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    year INTEGER NOT NULL,
    item TEXT NOT NULL CHECK (item IN ('case_fee', 'team_support', 'training', 'election', 'award', 'incident_support')),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    decision_no TEXT,
    decision_date DATE,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (unit_id, year, item)
);
CREATE INDEX budgets_unit_path ON budgets (unit_path, year);

-- The signed list of recipients (danh sách xác nhận nhận hỗ trợ) of a set of disbursements.
CREATE TABLE confirmation_lists (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    title TEXT NOT NULL,
    made_on DATE NOT NULL,
    signed_returned BOOLEAN NOT NULL DEFAULT FALSE,
    returned_on DATE,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX confirmation_lists_unit_path ON confirmation_lists (unit_path);

-- Money paid out, to a team or to a mediator. Never edited in amount or payee: a financial record.
CREATE TABLE disbursements (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    paid_on DATE NOT NULL,
    paid_year INTEGER NOT NULL,
    item TEXT NOT NULL CHECK (item IN ('case_fee', 'team_support', 'training', 'election', 'award', 'incident_support')),
    payee_team_id TEXT REFERENCES teams (id),
    payee_mediator_id TEXT REFERENCES mediators (id),
    -- The team the money went to or through (a mediator's team for fees), for per-team sums.
    team_id TEXT REFERENCES teams (id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    voucher_no TEXT,
    note TEXT,
    confirmation_list_id TEXT REFERENCES confirmation_lists (id),
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((payee_team_id IS NULL) <> (payee_mediator_id IS NULL))
);
CREATE INDEX disbursements_unit_path ON disbursements (unit_path, paid_year);
CREATE INDEX disbursements_list ON disbursements (confirmation_list_id);

-- Which cases a fee disbursement pays, and how much of it each.
CREATE TABLE disbursement_cases (
    disbursement_id TEXT NOT NULL REFERENCES disbursements (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (disbursement_id, case_id)
);
CREATE INDEX disbursement_cases_case ON disbursement_cases (case_id);

-- A case's fee is paid once, however many mediators share it: the primary key is the guarantee,
-- so two officers paying the same case at once cannot both succeed.
CREATE TABLE case_fee_payments (
    case_id TEXT PRIMARY KEY NOT NULL REFERENCES cases (id),
    policy_id TEXT REFERENCES funding_policies (id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    paid_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A mediator who breached a duty on a case (Law art. 10) earns no fee for it.
CREATE TABLE duty_breaches (
    case_id TEXT NOT NULL REFERENCES cases (id),
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, mediator_id)
);

-- Support for a mediator injured or killed while mediating or travelling to mediate.
CREATE TABLE incident_claims (
    id TEXT PRIMARY KEY NOT NULL,
    mediator_id TEXT NOT NULL REFERENCES mediators (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    occurred_on DATE NOT NULL,
    case_id TEXT REFERENCES cases (id),
    session_id TEXT REFERENCES case_sessions (id),
    kind TEXT NOT NULL CHECK (kind IN ('injury', 'death')),
    description TEXT NOT NULL,
    medical_costs BIGINT NOT NULL DEFAULT 0 CHECK (medical_costs >= 0),
    lost_income BIGINT NOT NULL DEFAULT 0 CHECK (lost_income >= 0),
    funeral_costs BIGINT NOT NULL DEFAULT 0 CHECK (funeral_costs >= 0),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
    approved_amount BIGINT CHECK (approved_amount IS NULL OR approved_amount >= 0),
    decision_no TEXT,
    decision_date DATE,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX incident_claims_unit_path ON incident_claims (unit_path);

-- Rating schemes for the yearly team review, as data: criteria are JSON
-- [{"code", "vi", "en", "kind": "success_rate_at_least" | "judgement", "threshold_pct"?}].
CREATE TABLE rating_schemes (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    origin TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO rating_schemes (code, name, origin, criteria, created_at) VALUES (
    'to_hoa_giai_5_tot',
    'Tổ hòa giải 5 tốt',
    'Mô hình của Sở Tư pháp và Ủy ban MTTQ thành phố Hà Nội; tiêu chí "hòa giải thành ≥ 80%" theo mô hình, các tiêu chí khác do cán bộ đánh giá',
    '[{"code":"organisation","vi":"Tổ chức tốt: tổ được kiện toàn, đủ thành phần theo Luật","en":"Well organised: formed and composed as the Law requires","kind":"judgement"},{"code":"mediation_results","vi":"Hòa giải tốt: tỷ lệ hòa giải thành từ 80% trở lên","en":"Good results: at least 80% of concluded cases successful","kind":"success_rate_at_least","threshold_pct":80},{"code":"records","vi":"Sổ sách, báo cáo tốt: ghi chép sổ theo dõi, báo cáo đầy đủ, kịp thời","en":"Good records: log book kept and reports made on time","kind":"judgement"},{"code":"coordination","vi":"Phối hợp tốt với các tổ chức, đoàn thể ở cơ sở","en":"Good coordination with local organisations","kind":"judgement"},{"code":"legal_dissemination","vi":"Tuyên truyền, phổ biến pháp luật tốt thông qua hòa giải","en":"Good legal dissemination through mediation","kind":"judgement"}]',
    '2026-11-27 00:00:00'
);

-- A team's yearly rating under a scheme: each criterion's result and the overall rating.
CREATE TABLE team_ratings (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams (id),
    unit_path TEXT COLLATE "C" NOT NULL,
    year INTEGER NOT NULL,
    scheme_code TEXT NOT NULL REFERENCES rating_schemes (code),
    results TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('achieved', 'not_achieved')),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (team_id, year, scheme_code)
);
CREATE INDEX team_ratings_unit_path ON team_ratings (unit_path, year);

-- Awards (khen thưởng) to a team or a mediator.
CREATE TABLE awards (
    id TEXT PRIMARY KEY NOT NULL,
    unit_path TEXT COLLATE "C" NOT NULL,
    year INTEGER NOT NULL,
    team_id TEXT REFERENCES teams (id),
    mediator_id TEXT REFERENCES mediators (id),
    level TEXT NOT NULL CHECK (level IN ('commune', 'district', 'province', 'ministry', 'national')),
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    decision_no TEXT,
    decision_date DATE,
    amount BIGINT CHECK (amount IS NULL OR amount >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((team_id IS NULL) <> (mediator_id IS NULL))
);
CREATE INDEX awards_unit_path ON awards (unit_path, year);

-- A commune's targets for the year (the plan's), in percent; absent: the defaults (90% success, 100% trained).
CREATE TABLE plan_targets (
    unit_id TEXT NOT NULL REFERENCES units (id),
    year INTEGER NOT NULL,
    success_rate_pct INTEGER NOT NULL CHECK (success_rate_pct BETWEEN 0 AND 100),
    trained_pct INTEGER NOT NULL CHECK (trained_pct BETWEEN 0 AND 100),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_id, year)
);
