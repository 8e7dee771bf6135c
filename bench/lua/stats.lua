-- Statistics as a district system or a dashboard asks for them (GET /api/v1/stats/indicators…).
-- Fixture rows: access_token, the request path with its query.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local asks

function init(args)
  common.seed()
  asks = {}
  for _, row in ipairs(common.rows()) do
    asks[#asks + 1] = { token = "Bearer " .. row[1], path = row[2] }
  end
end

function request()
  local a = asks[math.random(#asks)]
  return wrk.format("GET", a.path, { ["Authorization"] = a.token })
end
