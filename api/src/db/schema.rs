//! The one diesel schema for both backends. Only portable types: ids are lowercase UUID text,
//! timestamps are UTC `Timestamp`, JSON is `Text`.

diesel::table! {
    units (id) {
        id -> Text,
        code -> Nullable<Text>,
        name -> Text,
        level -> Text,
        parent_id -> Nullable<Text>,
        path -> Text,
        depth -> Integer,
        ethnic_minority_area -> Bool,
        search_key -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    unit_successions (id) {
        id -> Text,
        from_unit_id -> Text,
        to_unit_id -> Text,
        kind -> Text,
        effective_date -> Date,
        legal_basis -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        search_key -> Text,
        phone -> Nullable<Text>,
        role -> Text,
        unit_id -> Nullable<Text>,
        unit_path -> Nullable<Text>,
        password_hash -> Text,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        password_changed_at -> Timestamp,
        mediator_id -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        family_id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        name -> Text,
        secret_hash -> Text,
        role -> Text,
        unit_id -> Nullable<Text>,
        unit_path -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        request_id -> Nullable<Text>,
        old_values -> Nullable<Text>,
        new_values -> Nullable<Text>,
        unit_id -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (actor_id, idem_key) {
        actor_id -> Text,
        idem_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    logbook_lines (team_id, year) {
        team_id -> Text,
        year -> Integer,
        last_line -> Integer,
    }
}

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        search_key -> Text,
        unit_id -> Text,
        unit_path -> Text,
        founded_on -> Date,
        dissolved_on -> Nullable<Date>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_predecessors (team_id, predecessor_id) {
        team_id -> Text,
        predecessor_id -> Text,
    }
}

diesel::table! {
    mediators (id) {
        id -> Text,
        full_name -> Text,
        search_key -> Text,
        sex -> Text,
        birth_year -> Nullable<Integer>,
        ethnic_minority -> Bool,
        unit_id -> Text,
        unit_path -> Text,
        phone -> Nullable<Text>,
        legal_training -> Text,
        occupation -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        mediator_id -> Text,
        team_id -> Text,
        role -> Text,
        recognition_decision -> Nullable<Text>,
        recognition_date -> Nullable<Date>,
        from_date -> Date,
        to_date -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        end_decision -> Nullable<Text>,
        end_decision_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        removal_requested_by -> Nullable<Text>,
        removal_requested_on -> Nullable<Date>,
        removal_reason -> Nullable<Text>,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        team_id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        received_on -> Date,
        received_year -> Integer,
        received_month -> Integer,
        logbook_line -> Integer,
        logbook_volume -> Nullable<Integer>,
        basis -> Text,
        referring_body -> Nullable<Text>,
        category -> Text,
        summary -> Text,
        summary_key -> Text,
        status -> Text,
        out_of_scope_reason -> Nullable<Text>,
        out_of_scope_referred_to -> Nullable<Text>,
        deadline_days -> Integer,
        start_deadline -> Nullable<Date>,
        deadline_exception -> Nullable<Text>,
        deadline_exception_note -> Nullable<Text>,
        started_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        ended_on -> Nullable<Date>,
        ended_year -> Nullable<Integer>,
        ended_month -> Nullable<Integer>,
        agreement_text -> Nullable<Text>,
        referral_body -> Nullable<Text>,
        referral_date -> Nullable<Date>,
        written_agreement_date -> Nullable<Date>,
        written_agreement_signature -> Nullable<Text>,
        for_court_recognition -> Bool,
        notes -> Nullable<Text>,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        transferred_from_team_id -> Nullable<Text>,
        transferred_from_line -> Nullable<Integer>,
        transferred_on -> Nullable<Date>,
        pseudonymised_on -> Nullable<Date>,
    }
}

diesel::table! {
    case_parties (id) {
        id -> Text,
        case_id -> Text,
        position -> Integer,
        kind -> Text,
        role -> Text,
        full_name -> Text,
        name_key -> Text,
        age -> Nullable<Integer>,
        birth_year -> Nullable<Integer>,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        id_number -> Nullable<Text>,
        demand -> Nullable<Text>,
        team_id -> Text,
    }
}

diesel::table! {
    case_assignments (id) {
        id -> Text,
        case_id -> Text,
        mediator_id -> Text,
        assigned_on -> Date,
        chosen_by -> Text,
        ended_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        end_note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_conflicts (case_id, mediator_id) {
        case_id -> Text,
        mediator_id -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_sessions (id) {
        id -> Text,
        case_id -> Text,
        held_on -> Date,
        place -> Nullable<Text>,
        is_public -> Bool,
        participants -> Text,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_escalations (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        occurred_on -> Date,
        notified -> Text,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_follow_ups (id) {
        id -> Text,
        case_id -> Text,
        checked_on -> Date,
        status -> Text,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_clients -> units (unit_id));
diesel::joinable!(teams -> units (unit_id));
diesel::joinable!(memberships -> teams (team_id));
diesel::joinable!(memberships -> mediators (mediator_id));
diesel::joinable!(cases -> teams (team_id));
diesel::joinable!(case_parties -> cases (case_id));
diesel::joinable!(case_assignments -> cases (case_id));
diesel::joinable!(case_assignments -> mediators (mediator_id));
diesel::joinable!(case_sessions -> cases (case_id));
diesel::joinable!(case_escalations -> cases (case_id));
diesel::joinable!(case_follow_ups -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    unit_successions,
    users,
    refresh_tokens,
    api_clients,
    audit_log,
    idempotency_keys,
    logbook_lines,
    teams,
    team_predecessors,
    mediators,
    memberships,
    cases,
    case_parties,
    case_assignments,
    case_conflicts,
    case_sessions,
    case_escalations,
    case_follow_ups,
    trainings,
    training_attendance,
    funding_policies,
    budgets,
    confirmation_lists,
    disbursements,
    disbursement_cases,
    case_fee_payments,
    duty_breaches,
    incident_claims,
    rating_schemes,
    team_ratings,
    team_reviews,
    awards,
    plan_targets,
);

diesel::table! {
    stat_reports (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        kind -> Text,
        year -> Integer,
        cutoff_date -> Date,
        report_version -> Integer,
        figures -> Text,
        estimates -> Nullable<Text>,
        notes -> Nullable<Text>,
        submitted_by -> Text,
        submitted_at -> Timestamp,
        superseded_by -> Nullable<Text>,
    }
}

diesel::table! {
    trainings (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        held_on -> Date,
        title -> Text,
        organiser -> Text,
        trainer -> Nullable<Text>,
        level -> Text,
        place -> Nullable<Text>,
        topics -> Text,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    training_attendance (training_id, mediator_id) {
        training_id -> Text,
        mediator_id -> Text,
        present -> Bool,
    }
}

diesel::table! {
    funding_policies (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        legal_basis -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        item -> Text,
        rate -> BigInt,
        rate_unit -> Text,
        outcome -> Nullable<Text>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    budgets (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        year -> Integer,
        item -> Text,
        amount -> BigInt,
        decision_no -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    confirmation_lists (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        title -> Text,
        made_on -> Date,
        signed_returned -> Bool,
        returned_on -> Nullable<Date>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    disbursements (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        paid_on -> Date,
        paid_year -> Integer,
        item -> Text,
        payee_team_id -> Nullable<Text>,
        payee_mediator_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        amount -> BigInt,
        voucher_no -> Nullable<Text>,
        note -> Nullable<Text>,
        confirmation_list_id -> Nullable<Text>,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    disbursement_cases (disbursement_id, case_id) {
        disbursement_id -> Text,
        case_id -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    case_fee_payments (case_id) {
        case_id -> Text,
        policy_id -> Nullable<Text>,
        amount -> BigInt,
        paid_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    duty_breaches (case_id, mediator_id) {
        case_id -> Text,
        mediator_id -> Text,
        unit_path -> Text,
        note -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    incident_claims (id) {
        id -> Text,
        mediator_id -> Text,
        unit_path -> Text,
        occurred_on -> Date,
        case_id -> Nullable<Text>,
        session_id -> Nullable<Text>,
        kind -> Text,
        description -> Text,
        medical_costs -> BigInt,
        lost_income -> BigInt,
        funeral_costs -> BigInt,
        status -> Text,
        approved_amount -> Nullable<BigInt>,
        decision_no -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rating_schemes (code) {
        code -> Text,
        name -> Text,
        origin -> Text,
        criteria -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    team_reviews (team_id, year) {
        team_id -> Text,
        year -> Integer,
        unit_path -> Text,
        conclusion -> Text,
        restaffing_proposal -> Nullable<Text>,
        reviewed_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_ratings (id) {
        id -> Text,
        team_id -> Text,
        unit_path -> Text,
        year -> Integer,
        scheme_code -> Text,
        results -> Text,
        rating -> Text,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    awards (id) {
        id -> Text,
        unit_path -> Text,
        year -> Integer,
        team_id -> Nullable<Text>,
        mediator_id -> Nullable<Text>,
        level -> Text,
        title -> Text,
        reason -> Text,
        decision_no -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        amount -> Nullable<BigInt>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_targets (unit_id, year) {
        unit_id -> Text,
        year -> Integer,
        success_rate_pct -> Integer,
        trained_pct -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(training_attendance -> trainings (training_id));
diesel::joinable!(training_attendance -> mediators (mediator_id));
diesel::joinable!(disbursement_cases -> disbursements (disbursement_id));
diesel::joinable!(disbursement_cases -> cases (case_id));
diesel::joinable!(case_fee_payments -> cases (case_id));
diesel::joinable!(team_ratings -> teams (team_id));

diesel::table! {
    access_standards (code) {
        code -> Text,
        name -> Text,
        legal_basis -> Text,
        from_year -> Integer,
        to_year -> Nullable<Integer>,
        definition -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_rollups (unit_id, dimension, month, code, shard) {
        unit_id -> Text,
        month -> Date,
        dimension -> Text,
        code -> Text,
        shard -> SmallInt,
        received -> BigInt,
        successful -> BigInt,
        unsuccessful -> BigInt,
        out_of_scope -> BigInt,
    }
}

diesel::table! {
    case_rollup_years (unit_id, dimension, code, year, shard) {
        unit_id -> Text,
        year -> Integer,
        dimension -> Text,
        code -> Text,
        shard -> SmallInt,
        received -> BigInt,
        successful -> BigInt,
        unsuccessful -> BigInt,
        out_of_scope -> BigInt,
    }
}

diesel::table! {
    case_rollup_years_filled (id) {
        id -> SmallInt,
        through_year -> Integer,
    }
}

diesel::table! {
    roster_rollups (unit_id, kind, month) {
        unit_id -> Text,
        kind -> Text,
        month -> Date,
        n -> BigInt,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        case_id -> Nullable<Text>,
        team_id -> Nullable<Text>,
        year -> Nullable<Integer>,
        confirmation_list_id -> Nullable<Text>,
        unit_path -> Text,
        kind -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    attachment_contents (attachment_id) {
        attachment_id -> Text,
        bytes -> Binary,
    }
}

diesel::joinable!(attachment_contents -> attachments (attachment_id));
diesel::allow_tables_to_appear_in_same_query!(attachments, attachment_contents);

diesel::table! {
    staffing_decisions (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        decision_no -> Text,
        decided_on -> Date,
        teams -> Integer,
        members_per_team -> Integer,
        notes -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    elections (id) {
        id -> Text,
        team_id -> Text,
        unit_path -> Text,
        kind -> Text,
        held_on -> Date,
        voters -> Integer,
        votes_cast -> Integer,
        minutes_attachment_id -> Nullable<Text>,
        recognition_due -> Date,
        recognised_on -> Nullable<Date>,
        recognition_decision_no -> Nullable<Text>,
        notes -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    election_candidates (election_id, position) {
        election_id -> Text,
        position -> Integer,
        mediator_id -> Nullable<Text>,
        full_name -> Text,
        votes -> Integer,
        elected -> Bool,
    }
}

diesel::table! {
    subject_requests (id) {
        id -> Text,
        unit_id -> Text,
        unit_path -> Text,
        kind -> Text,
        mediator_id -> Nullable<Text>,
        requester_name -> Text,
        received_on -> Date,
        due_on -> Date,
        details -> Nullable<Text>,
        status -> Text,
        closed_on -> Nullable<Date>,
        outcome -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    subject_request_parties (request_id, party_id) {
        request_id -> Text,
        party_id -> Text,
        case_id -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(subject_requests, subject_request_parties);
