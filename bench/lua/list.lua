-- A team leader opens their team's log book: page 1 of the team's cases, newest first.
-- Fixture rows: access_token, team_id.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local leaders

function init(args)
  common.seed()
  leaders = common.rows()
end

function request()
  local l = leaders[math.random(#leaders)]
  return wrk.format("GET", "/api/v1/cases?limit=20", { ["Authorization"] = "Bearer " .. l[1] })
end
