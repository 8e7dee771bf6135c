-- A team leader opens their team's log book: page 1 of the team's cases, newest first, with the
-- total ("page 1 of 23"); the server checks that the team is the leader's own.
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
  return wrk.format("GET", "/api/v1/cases?limit=20&with_total=true", { ["Authorization"] = "Bearer " .. l[1] })
end
