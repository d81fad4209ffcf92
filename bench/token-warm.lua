-- wrk script for the warm-up: each thread fetches the token of every seeded connection once, from
-- its own starting point, then stops. Afterwards every connection is in the broker's cache, so the
-- measured runs time the hot path; the first fetch of a connection (a database read on a worker)
-- is what the warm-up pays, once per connection and cache TTL.
local dir = os.getenv("BENCH_DIR") or "."
local function lines(path)
  local t = {}
  for l in io.lines(path) do if #l > 0 then t[#t + 1] = l end end
  return t
end
local ids, jwts
local sent, answered = 0, 0
local failed = 0

function init(args)
  ids = lines(dir .. "/bench-ids.txt")
  jwts = lines(dir .. "/bench-jwts.txt")
  sent = math.random(#ids)
end

function request()
  sent = sent + 1
  return wrk.format("POST", "/v1/connections/" .. ids[(sent % #ids) + 1] .. "/access-token",
    { ["Authorization"] = "Bearer " .. jwts[(sent % #jwts) + 1], ["Content-Type"] = "application/json" }, "{}")
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then failed = failed + 1 end
  if answered >= #ids then wrk.thread:stop() end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f errors_status=%d\n",
    summary.requests, summary.duration / 1e6, summary.errors.status))
end
