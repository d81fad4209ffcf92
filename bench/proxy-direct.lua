-- wrk script: GET /v5/user_account straight at the stand-in, with the seeded upstream tokens
-- (at-<id>): the baseline of the proxy benchmark. Reads bench-ids.txt from $BENCH_DIR.
local dir = os.getenv("BENCH_DIR") or "."
local ids
local i = 0

function init(args)
  ids = {}
  for l in io.lines(dir .. "/bench-ids.txt") do if #l > 0 then ids[#ids + 1] = l end end
  i = math.random(#ids)
end

function request()
  i = i + 1
  return wrk.format("GET", "/v5/user_account",
    { ["Authorization"] = "Bearer at-" .. ids[(i % #ids) + 1] })
end

done = dofile(os.getenv("ROOT") .. "/bench/result.lua")
