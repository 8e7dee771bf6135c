-- Shared by the bench scenarios: per-thread set-up, the fixture file, and one result line that
-- bench/run parses. Latencies are wrk's (microseconds); errors are wrk's socket errors and its
-- count of answers with a status of 400 or more.

local common = {}
local threads = {}
local counter = 0

-- Gives each wrk thread a number, so their random sequences differ.
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

-- Reads the tab-separated fixture named by BENCH_DATA: one row per user.
function common.rows()
  local path = os.getenv("BENCH_DATA")
  assert(path, "BENCH_DATA is not set")
  local rows = {}
  for line in io.lines(path) do
    local fields = {}
    for f in line:gmatch("[^\t]+") do fields[#fields + 1] = f end
    if #fields >= 2 then rows[#rows + 1] = fields end
  end
  assert(#rows > 0, "no rows in " .. path)
  return rows
end

function common.seed()
  math.randomseed(os.time() * 7919 + (tid or 0) * 104729)
  -- LuaJIT's first numbers after seeding are poor.
  for _ = 1, 10 do math.random() end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f status_errors=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end

return common
