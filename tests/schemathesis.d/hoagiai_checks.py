"""Schemathesis hooks for hoagiai (tests/schemathesis loads them through schemathesis.toml).

docs/integrations.md ("Checked against the contract") says why each one is here.
"""
import re
import uuid

import schemathesis

# Field error codes that only a request outside the OpenAPI document can earn: a schema-valid
# request answered with one of them means the document does not say what the server enforces.
CONTRACT_CODES = {
    "required",
    "unknown_field",
    "unknown_variant",
    "invalid_type",
    "length",
    "range",
    "blank",
    "control_characters",
    "phone_format",
    "username_format",
}

# Answers a schema-valid request may get: the record is not there or not the caller's (404, 403),
# it changed meanwhile (409, 412 to an `If-Match` that names another version), or a business rule
# refused it (422 with a rule's code, checked below).
ALLOWED = {401, 403, 404, 409, 412, 429}


def _sent(case, field):
    """The value sent for a body field (`criteria[3].threshold_pct`) or a query parameter."""
    if isinstance(case.query, dict) and field in case.query:
        return case.query[field]
    value = case.body
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        if part.startswith("[") and isinstance(value, list):
            index = int(part[1:-1])
            value = value[index] if index < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


# Fields required of some callers or records only, as their descriptions say: `unit_id` defaults
# to the caller's unit, so only a caller with national scope must give it; every unit but a
# province has a `parent_id`.
CONDITIONALLY_REQUIRED = {"unit_id", "parent_id"}


def _contract_error(error, case):
    code = error.get("code")
    field = error.get("field") or ""
    sent = _sent(case, field)
    if code == "invalid_type" and isinstance(sent, float) and sent.is_integer():
        # JSON Schema counts 2377.0 as an integer; the API reads integers as written, 2377.
        return False
    if code == "required" and field in CONDITIONALLY_REQUIRED:
        return False
    return code in CONTRACT_CODES or (code == "invalid_value" and "reason" in (error.get("params") or {}))


@schemathesis.check
def schema_valid_request_accepted(ctx, response, case):
    """positive_data_acceptance, with business rules told apart from the contract: a schema-valid
    request may be refused by a rule of the domain (422 with the rule's code, e.g. a date before
    the case was received), never for its shape."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 400 or status >= 500 or status in ALLOWED:
        return None
    if status == 422:
        try:
            problem = response.json()
        except Exception:
            problem = {}
        code = problem.get("code")
        if code == "validation_failed":
            broken = [e for e in problem.get("errors", []) if _contract_error(e, case)]
            if not broken:
                return None
            message = "; ".join(f"{e.get('field')}: {e.get('code')} {e.get('params') or ''}" for e in broken)
        elif code is not None and code != "idempotency_key_reused":
            return None
        else:
            message = f"422 {code}"
    else:
        message = f"{status} {response.text[:300]}"
    raise AssertionError(f"Schema-valid request refused for a rule the document does not state: {message}")


@schemathesis.hook
def before_call(ctx, case, kwargs):
    """A schema-valid `Idempotency-Key` is a new key for every request: the generator would
    otherwise send the same short key with different bodies, which the API rightly refuses (422
    `idempotency_key_reused`, tested in tests/idempotency.rs). Keys outside the schema stay as
    generated, for the negative tests."""
    headers = case.headers
    if not headers:
        return
    for name in list(headers):
        if name.lower() == "idempotency-key":
            value = headers[name]
            if isinstance(value, str) and 1 <= len(value) <= 255 and value.isprintable():
                headers[name] = str(uuid.uuid4())
