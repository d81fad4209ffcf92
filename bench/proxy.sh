#!/usr/bin/env bash
# Proxy benchmark: GET /v1/connections/{id}/proxy/user_account through the broker against GET
# /v5/user_account straight at the same stand-in, in the same run, at each wrk level. Targets:
# proxied throughput >= 0.7x direct, added p50 <= 1 ms. Run on demand: bench/proxy.sh.
source "$(dirname "$0")/lib.sh"
export ROOT

CONNECTIONS=${CONNECTIONS:-1000}
CALLERS=${CALLERS:-8}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
LEVELS=${LEVELS:-"16 64"}
PORT=${PORT:-18080}

# The JDK HttpServer writes an answer's head and body separately; without TCP_NODELAY the second
# write waits for the client's delayed ACK (~40 ms), which would dominate both paths.
export STANDIN_JAVA_OPTS=${STANDIN_JAVA_OPTS:--Dsun.net.httpserver.nodelay=true}

bench_init
start_standin 0
start_broker a "$PORT" "jdbc:embedded-postgresql:$BENCH_DIR/pg" \
  BROKER_PROVIDERS_BENCH_API_BASE_URL="http://127.0.0.1:$UPSTREAM_PORT/v5/" > /dev/null

callers=$(seq -s, -f 'svc-bench-%g' 0 $((CALLERS - 1)))
seed "$(embedded_pg_url "$BENCH_DIR/pg")" "$CONNECTIONS" "$callers" 86400 "$BENCH_DIR/bench-ids.txt"
: > "$BENCH_DIR/bench-jwts.txt"
for i in $(seq 0 $((CALLERS - 1))); do
  mint_jwt "$PORT" "svc-bench-$i" >> "$BENCH_DIR/bench-jwts.txt"
done
code=$(curl -s -o /dev/null -w '%{http_code}' \
  "http://127.0.0.1:$PORT/v1/connections/$(head -1 "$BENCH_DIR/bench-ids.txt")/proxy/user_account" \
  -H "Authorization: Bearer $(head -1 "$BENCH_DIR/bench-jwts.txt")")
[ "$code" = 200 ] || { echo "a proxied call answered $code" >&2; exit 1; }

BROKER="http://127.0.0.1:$PORT"
DIRECT="http://127.0.0.1:$UPSTREAM_PORT"
# CPU time (clock ticks) of one process, or of the embedded PostgreSQL and its children. On a
# machine where wrk, the stand-in and the broker share the cores, requests/s follow the CPU each
# call costs in all of them; so each run also reports microseconds of CPU per request of the broker
# (broker_us), its PostgreSQL (pg_us: the audit trail) and the stand-in (standin_us).
ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done | awk '{s += $1} END {print s + 0}'; }
pg_pids() { local pm; pm=$(head -1 "$BENCH_DIR/pg/postmaster.pid"); echo "$pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"; }
STANDIN_PID=$(head -1 "$BENCH_DIR/pids")
run() { # run <label> <connections> <duration> <wrk args...>; prints the RESULT fields
  local label=$1 c=$2 d=$3; shift 3
  local b0 p0 s0; b0=$(ticks "$(broker_pid a)"); p0=$(ticks $(pg_pids)); s0=$(ticks "$STANDIN_PID")
  local result; result=$(wrk -t"$(( c < 2 ? c : 2 ))" -c"$c" -d"$d" --timeout 5s "$@" | grep '^RESULT' | sed 's/^RESULT //')
  local n; n=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  result="$result $(awk -v n="$n" -v hz="$(getconf CLK_TCK)" -v b="$(( $(ticks "$(broker_pid a)") - b0 ))" \
    -v p="$(( $(ticks $(pg_pids)) - p0 ))" -v s="$(( $(ticks "$STANDIN_PID") - s0 ))" 'BEGIN {
      f = n ? 1e6 / hz / n : 0; printf "broker_us=%.0f pg_us=%.0f standin_us=%.0f", b * f, p * f, s * f }')"
  echo "$label c=$c $result load=[$(cut -d' ' -f1-3 /proc/loadavg)]" >&2
  echo "$result"
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# The proxy path is compiled by C2 for tens of seconds after the start (a compiler thread took
# most of a core for the first ~30 s on this machine); shorter warm-ups measure the JIT.
echo "warm-up ($WARMUP each, not reported)"
run warmup-proxy 16 "$WARMUP" -s "$ROOT/bench/proxy.lua" "$BROKER" > /dev/null 2>&1
run warmup-direct 16 "$WARMUP" -s "$ROOT/bench/proxy-direct.lua" "$DIRECT" > /dev/null 2>&1
standin_reset

for c in $LEVELS; do
  direct=$(run direct "$c" "$DURATION" -s "$ROOT/bench/proxy-direct.lua" "$DIRECT")
  proxied=$(run proxied "$c" "$DURATION" -s "$ROOT/bench/proxy.lua" "$BROKER")
  awk -v c="$c" -v dr="$(field "$direct" rps)" -v pr="$(field "$proxied" rps)" \
    -v dp="$(field "$direct" p50_ms)" -v pp="$(field "$proxied" p50_ms)" 'BEGIN {
      printf "c=%s throughput proxied/direct = %.2f (target >= 0.70); p50 added = %.3f ms (target <= 1 ms)\n",
        c, pr / dr, pp - dp }'
done
echo "stand-in: $(standin_stats) (token calls must be 0: the proxy used cached tokens)"
