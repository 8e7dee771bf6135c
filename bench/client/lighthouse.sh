#!/usr/bin/env bash
# Lighthouse (mobile emulation) on the client, against a running server.
# Usage: bench/client/lighthouse.sh [URL]   (default http://127.0.0.1:8080/)
# Installs Lighthouse into a temporary folder with npm; uses Debian's Chromium.
set -euo pipefail
url="${1:-http://127.0.0.1:8080/}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error lighthouse@12 >/dev/null)
CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$work/node_modules/.bin/lighthouse" "$url" --quiet \
  --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
  --form-factor=mobile --only-categories=performance,accessibility,best-practices \
  --output=json --output-path="$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"Lighthouse {r['lighthouseVersion']}, {r['configSettings']['formFactor']}, throttling {r['configSettings']['throttlingMethod']}")
for k, v in r["categories"].items():
    print(f"  {v['title']}: {round(v['score'] * 100)}")
for k in ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "total-byte-weight"]:
    print(f"  {r['audits'][k]['title']}: {r['audits'][k]['displayValue']}")
PY
