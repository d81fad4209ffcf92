-- wrk script for the second same-run reference: GET /v1/providers with the same caller JWTs as
-- token-fetch.lua. An authenticated, blocking JSON endpoint that touches neither the database
-- nor the token path: what JWT authentication and the REST stack cost on their own.
local dir = os.getenv("BENCH_DIR") or "."
local jwts = {}
local i = 0

function init(args)
  for l in io.lines(dir .. "/bench-jwts.txt") do if #l > 0 then jwts[#jwts + 1] = l end end
  i = math.random(#jwts)
end

function request()
  i = i + 1
  return wrk.format("GET", "/v1/providers", { ["Authorization"] = "Bearer " .. jwts[(i % #jwts) + 1] })
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
end
