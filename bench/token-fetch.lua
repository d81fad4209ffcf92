-- wrk script: POST /v1/connections/{id}/access-token, rotating connection ids and caller JWTs.
-- Reads bench-ids.txt and bench-jwts.txt from $BENCH_DIR (written by bench/token-fetch.sh).
local dir = os.getenv("BENCH_DIR") or "."
local function lines(path)
  local t = {}
  for l in io.lines(path) do if #l > 0 then t[#t + 1] = l end end
  return t
end
local ids, jwts
local i = 0
local statuses = {}

function init(args)
  ids = lines(dir .. "/bench-ids.txt")
  jwts = lines(dir .. "/bench-jwts.txt")
  -- Threads start at different offsets so they do not walk the same ids in step.
  i = math.random(#ids)
end

function request()
  i = i + 1
  local id = ids[(i % #ids) + 1]
  local jwt = jwts[(i % #jwts) + 1]
  return wrk.format("POST", "/v1/connections/" .. id .. "/access-token",
    { ["Authorization"] = "Bearer " .. jwt, ["Content-Type"] = "application/json" }, "{}")
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
