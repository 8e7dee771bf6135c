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
        unit_path -> Nullable<Text>,
        request_id -> Nullable<Text>,
        old_values -> Nullable<Text>,
        new_values -> Nullable<Text>,
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

diesel::joinable!(users -> units (unit_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_clients -> units (unit_id));

diesel::allow_tables_to_appear_in_same_query!(units, unit_successions, users, refresh_tokens, api_clients, audit_log, idempotency_keys,);
