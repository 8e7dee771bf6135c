"""A province's nightly pull, written against the Python client generated from
openapi/openapi.json (tests/python-client generates it and runs this against a demo server).

Only the generated functions and models are used: the token by client credentials, the
indicators by commune, a conditional GET of them that must answer 304, and the incremental copy of
case facts page by page, then again from the newest `updated_at`. Exits non-zero on any surprise.

    python nightly_pull.py BASE_URL CLIENT_ID CLIENT_SECRET
"""
import sys
import uuid

from hoagiai_client import AuthenticatedClient, Client
from hoagiai_client.api.auth import token
from hoagiai_client.api.statistics import get_indicators, list_case_facts
from hoagiai_client.models import BreakdownBy, ClientTokenRequest, Indicators, PageCaseFacts, TokenResponse, UnitLevel
from hoagiai_client.types import UNSET

PERIOD = "2025"


def expect(condition, message):
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def main(base_url, client_id, client_secret):
    # 1. A token by client credentials (RFC 6749 §4.4), through the generated form model.
    with Client(base_url=base_url) as anonymous:
        answer = token.sync_detailed(
            client=anonymous,
            body=ClientTokenRequest(grant_type="client_credentials", client_id=client_id, client_secret=client_secret),
        )
    expect(answer.status_code == 200, f"token: HTTP {answer.status_code} {answer.content[:200]!r}")
    expect(isinstance(answer.parsed, TokenResponse), "token: the answer is not a TokenResponse")
    expect(answer.parsed.token_type.lower() == "bearer" and answer.parsed.expires_in > 0, "token: not a bearer token")
    print(f"token: {answer.parsed.token_type}, {answer.parsed.expires_in} s")

    with AuthenticatedClient(base_url=base_url, token=answer.parsed.access_token) as api:
        # 2. The year's indicators by commune, for the client's own unit (the city).
        first = get_indicators.sync_detailed(client=api, period=PERIOD, by=BreakdownBy.UNIT, level=UnitLevel.COMMUNE)
        expect(first.status_code == 200, f"indicators: HTTP {first.status_code} {first.content[:200]!r}")
        figures = first.parsed
        expect(isinstance(figures, Indicators), "indicators: the answer is not Indicators")
        expect(figures.breakdown_by == BreakdownBy.UNIT, "indicators: no breakdown by unit")
        expect(len(figures.breakdown) > 0, "indicators: no commune in the breakdown")
        for line in figures.breakdown:
            uuid.UUID(line.key)
        expect(figures.min_cell is not UNSET and figures.min_cell is not None, "indicators: a machine client gets min_cell")
        received = figures.figures.cases.received
        print(f"indicators {PERIOD}: {figures.unit_name}, {len(figures.breakdown)} communes, received {received}")

        # 3. The same request with the ETag held: 304, nothing to read again.
        etag = first.headers.get("etag")
        expect(etag and etag.startswith('W/"'), f"indicators: a weak ETag, not {etag!r}")
        again = get_indicators.sync_detailed(
            client=api, period=PERIOD, by=BreakdownBy.UNIT, level=UnitLevel.COMMUNE, if_none_match=etag
        )
        expect(again.status_code == 304, f"indicators again: HTTP {again.status_code}, expected 304")
        expect(again.content == b"", "indicators again: a 304 has no body")
        expect(again.headers.get("etag") == etag, "indicators again: the 304 repeats the ETag")
        print(f"indicators {PERIOD} again with If-None-Match: {int(again.status_code)} Not Modified")

        # 4. Every case fact, page by page (the first night's copy).
        facts = {}
        cursor = UNSET
        pages = 0
        while True:
            page = list_case_facts.sync_detailed(client=api, limit=25, cursor=cursor)
            expect(page.status_code == 200, f"case facts: HTTP {page.status_code} {page.content[:200]!r}")
            expect(isinstance(page.parsed, PageCaseFacts), "case facts: the answer is not a page")
            pages += 1
            for item in page.parsed.items:
                # A machine client gets months, never days.
                expect(item.received_on is None, f"case facts: {item.id} shows the day received")
                facts[item.id] = item
            cursor = page.parsed.next_cursor
            if cursor is None or cursor is UNSET:
                break
        expect(len(facts) > 0, "case facts: none")
        newest = max(f.updated_at for f in facts.values())
        print(f"case facts: {len(facts)} in {pages} pages, newest change {newest.isoformat()}")

        # 5. The next night: only what changed since the newest change kept (the bound is inclusive).
        later = list_case_facts.sync_detailed(client=api, updated_since=newest, limit=25)
        expect(later.status_code == 200, f"case facts since: HTTP {later.status_code}")
        expect(len(later.parsed.items) >= 1, "case facts since: the newest change comes again")
        expect(all(f.updated_at >= newest for f in later.parsed.items), "case facts since: an older change came")
        expect(all(f.id in facts for f in later.parsed.items), "case facts since: an unknown case")
        print(f"case facts since {newest.isoformat()}: {len(later.parsed.items)} (upserted by id)")
    print("nightly pull: ok")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
