DROP TABLE idempotency_keys;
DROP TABLE audit_log;
DROP TABLE api_clients;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE unit_successions;
DROP TABLE units;
