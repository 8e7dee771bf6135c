-- A team leader opens a case from the phone, as the phone's outbox sends it: a fresh UUIDv7 for
-- the case and another for its Idempotency-Key (kept by the phone across retries), two parties and
-- a note — about 650 bytes of JSON, the create of issue "Faster than the generic backend".
-- Fixture rows: access_token, team_id.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
local leaders
local seq = 0

local SURNAMES = { "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh" }
local MALE = { "Văn An", "Văn Bình", "Đức Cường", "Văn Dũng", "Hữu Hùng", "Quang Hải", "Minh Khánh", "Văn Long", "Công Nam", "Xuân Sơn", "Đình Thắng", "Văn Tư" }
local FEMALE = { "Thị Lan", "Thị Hoa", "Thu Hương", "Thị Mai", "Ngọc Linh", "Thị Hằng", "Thanh Thảo", "Thị Nga", "Hồng Nhung", "Thị Yến" }
local CASES = {
  { "land", "Tranh chấp lối đi chung giữa hộ %s và hộ %s" },
  { "land", "Tranh chấp ranh giới đất vườn giữa %s và %s" },
  { "neighbourhood", "Nước thải chăn nuôi của hộ %s chảy sang vườn nhà %s" },
  { "civil_property", "Tranh chấp khoản vay 20 triệu đồng giữa %s và %s" },
  { "family_marriage", "Mâu thuẫn vợ chồng giữa %s và %s, một bên đề nghị hòa giải" },
  { "minor_violation", "Xô xát nhẹ giữa %s và %s sau đám giỗ trong xóm" },
}
local NOTES = {
  "Hai bên đồng ý để tổ hòa giải gặp riêng từng bên trước, sau đó mời cùng ngồi lại tại nhà văn hóa thôn.",
  "Bên yêu cầu đề nghị mời thêm trưởng thôn và người có uy tín trong dòng họ tham gia buổi hòa giải.",
  "Vụ việc đã được các hộ liền kề chứng kiến; tổ trưởng sẽ phân công hòa giải viên trong ngày.",
}
local VILLAGES = { "Thôn Hội Yên", "Thôn Phú Khê", "Xóm Đông", "Thôn Tam Cát", "Tổ dân phố số 4" }

local function pick(t) return t[math.random(#t)] end

local function person()
  if math.random() < 0.5 then return pick(SURNAMES) .. " " .. pick(MALE) end
  return pick(SURNAMES) .. " " .. pick(FEMALE)
end

-- A UUIDv7: 48 bits of milliseconds, version 7, 74 random bits. wrk's Lua has a clock in seconds
-- only, so a per-thread sequence fills the milliseconds; the random bits keep ids unique.
local function uuid7()
  seq = seq + 1
  local ms = os.time() * 1000 + seq % 1000
  local hi = math.floor(ms / 65536)
  local lo = ms % 65536
  return string.format("%08x-%04x-%04x-%04x-%06x%06x", hi, lo, 0x7000 + math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff),
    math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function init(args)
  common.seed()
  leaders = common.rows()
end

function request()
  local l = leaders[math.random(#leaders)]
  local a, b = person(), person()
  local kind = pick(CASES)
  local village = pick(VILLAGES)
  local body = string.format(
    '{"id":"%s","team_id":"%s","basis":"party_request","category":"%s","summary":"%s",' ..
    '"parties":[{"kind":"person","full_name":"%s","age":%d,"address":"%s"},' ..
    '{"kind":"family","full_name":"Hộ ông %s","birth_year":%d,"address":"%s","phone":"09%d %03d %03d"}],"notes":"%s"}',
    uuid7(), l[2], kind[1], string.format(kind[2], a, b), a, math.random(22, 80), village, b, math.random(1940, 2000), village,
    math.random(10, 99), math.random(0, 999), math.random(0, 999), pick(NOTES))
  return wrk.format("POST", "/api/v1/cases", {
    ["Authorization"] = "Bearer " .. l[1],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = uuid7(),
  }, body)
end
