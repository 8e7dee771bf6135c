-- A commune officer opens one case of their commune (GET /api/v1/cases/{id}).
-- Fixture rows: access_token, comma-separated case ids of the officer's commune.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local officers

function init(args)
  common.seed()
  officers = {}
  for _, row in ipairs(common.rows()) do
    local ids = {}
    for id in row[2]:gmatch("[^,]+") do ids[#ids + 1] = id end
    officers[#officers + 1] = { token = "Bearer " .. row[1], ids = ids }
  end
end

function request()
  local o = officers[math.random(#officers)]
  return wrk.format("GET", "/api/v1/cases/" .. o.ids[math.random(#o.ids)], { ["Authorization"] = o.token })
end
