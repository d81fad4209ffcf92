-- wrk script: GET /v1/connections/{id}/proxy/user_account through the broker, rotating connection
-- ids and caller JWTs. Reads bench-ids.txt and bench-jwts.txt from $BENCH_DIR.
local dir = os.getenv("BENCH_DIR") or "."
local function lines(path)
  local t = {}
  for l in io.lines(path) do if #l > 0 then t[#t + 1] = l end end
  return t
end
local ids, jwts
local i = 0

function init(args)
  ids = lines(dir .. "/bench-ids.txt")
  jwts = lines(dir .. "/bench-jwts.txt")
  i = math.random(#ids)
end

function request()
  i = i + 1
  return wrk.format("GET", "/v1/connections/" .. ids[(i % #ids) + 1] .. "/proxy/user_account",
    { ["Authorization"] = "Bearer " .. jwts[(i % #jwts) + 1] })
end

done = dofile(os.getenv("ROOT") .. "/bench/result.lua")
