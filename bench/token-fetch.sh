#!/usr/bin/env bash
# Benchmark 1 + 4: token fetch throughput/latency against a same-run no-op baseline, start-to-ready
# time and resident memory under load. Run on demand: bench/token-fetch.sh (see bench/README.md).
# SMOKE=1 shrinks it to a few seconds and checks only that every request succeeded.
source "$(dirname "$0")/lib.sh"

CONNECTIONS=${CONNECTIONS:-5000}
CALLERS=${CALLERS:-8}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-15s}
LEVELS=${LEVELS:-"16 64"}
PORT=${PORT:-18080}
if [ "${SMOKE:-0}" = 1 ]; then
  CONNECTIONS=200; DURATION=2s; WARMUP=1s; LEVELS=16; ROUNDS=1
fi

bench_init
start_standin 50
ready_ms=$(start_broker a "$PORT" "jdbc:embedded-postgresql:$BENCH_DIR/pg")
echo "start to ready (fresh data dir, includes initdb + migrations): ${ready_ms} ms"
grep -o 'started in [0-9.]*s' "$BENCH_DIR/broker-a.log" | head -1 | sed 's/^/quarkus log: /'

callers=$(seq -s, -f 'svc-bench-%g' 0 $((CALLERS - 1)))
seed "$(embedded_pg_url "$BENCH_DIR/pg")" "$CONNECTIONS" "$callers" 86400 "$BENCH_DIR/bench-ids.txt"
: > "$BENCH_DIR/bench-jwts.txt"
for i in $(seq 0 $((CALLERS - 1))); do
  mint_jwt "$PORT" "svc-bench-$i" >> "$BENCH_DIR/bench-jwts.txt"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
  "http://127.0.0.1:$PORT/v1/connections/$(head -1 "$BENCH_DIR/bench-ids.txt")/access-token" \
  -H "Authorization: Bearer $(head -1 "$BENCH_DIR/bench-jwts.txt")" -H 'Content-Type: application/json' -d '{}')
[ "$code" = 200 ] || { echo "a seeded token fetch answered $code" >&2; exit 1; }
standin_reset

# CPU time (clock ticks) of the broker and its embedded PostgreSQL so far. On a busy machine the
# requests/s of a run depend on the CPU share the scheduler gives the broker; CPU time per request
# does much less, so each run also reports it (broker + PostgreSQL, microseconds per request).
cpu_ticks() {
  local pids; pids="$(broker_pid a) $(head -1 "$BENCH_DIR/pg/postmaster.pid") $(ps -o pid= --ppid "$(head -1 "$BENCH_DIR/pg/postmaster.pid")" | tr '\n' ' ')"
  for p in $pids; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done | awk '{s += $1} END {print s}'
}
run() { # run <label> <connections> <duration> <wrk args...>
  local label=$1 c=$2 d=$3; shift 3
  local t0; t0=$(cpu_ticks)
  local result; result=$(wrk -t2 -c"$c" -d"$d" --timeout 5s "$@" | grep '^RESULT' | sed 's/^RESULT //')
  local used=$(( $(cpu_ticks) - t0 )) n; n=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  result="$result cpu_us_per_req=$(awk -v t="$used" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')"
  echo "$label c=$c $result load=[$(cut -d' ' -f1-3 /proc/loadavg)]"
  if [ "${SMOKE:-0}" = 1 ] && ! echo "$result" | grep -Eq 'requests=[1-9].*errors_connect=0 errors_read=0 errors_write=0 errors_status=0 errors_timeout=0'; then
    echo "smoke: $label had failed requests" >&2; exit 1
  fi
}
URL="http://127.0.0.1:$PORT"
# Every connection's first fetch reads the database on a worker; the runs time the hot path (a
# cached connection), so the warm-up fetches each connection once before anything is measured.
# wrk runs until its -d however early its threads stop, so it is interrupted (SIGINT: it still
# reports) once the broker has counted every fetch.
issued() { curl -s "$URL/q/metrics" | awk '/^broker_token_request_seconds_count\{.*kind="connection"/ {s += $NF} END {printf "%d", s}'; }
target=$(( $(issued) + 2 * CONNECTIONS ))
wrk -t2 -c16 -d3600s --timeout 30s -s "$ROOT/bench/token-warm.lua" "$URL" > "$BENCH_DIR/warm.txt" &
warm_pid=$!
while [ "$(issued)" -lt "$target" ] && kill -0 $warm_pid 2>/dev/null; do sleep 1; done
kill -INT $warm_pid 2>/dev/null || true
wait $warm_pid || true
echo "cache warm-up, every connection fetched once per wrk thread: $(grep '^RESULT' "$BENCH_DIR/warm.txt" | sed 's/^RESULT //')"
grep -q 'errors_status=0' "$BENCH_DIR/warm.txt" || { echo "warm-up fetches failed" >&2; exit 1; }
echo "warm-up ($WARMUP each, not reported)"
run warmup-token 16 "$WARMUP" -s "$ROOT/bench/token-fetch.lua" "$URL" > /dev/null
run warmup-noop 16 "$WARMUP" -s "$ROOT/bench/noop.lua" "$URL/q/health/live" > /dev/null

# Interleaved rounds: per level and round, the no-op, the authenticated no-op and the token fetch
# one right after the other, so that each token figure has baselines from the same minute of a
# shared machine. The summary gives the median and the spread over the rounds of exactly what the
# targets name (docs/performance.md): token/no-op and token/authenticated no-op requests/s, and
# the token fetch's p99.
# PROFILE=1 records each token run with JFR (profile settings) into $BENCH_DIR/jfr/, so that the
# profile holds the token path only, not the baselines.
RESULTS="$BENCH_DIR/results.txt"
mkdir -p "$BENCH_DIR/jfr"
: > "$RESULTS"
for c in $LEVELS; do
  : > "$BENCH_DIR/rss-$c.txt"
  for r in $(seq 1 "$ROUNDS"); do
    run noop "$c" "$DURATION" -s "$ROOT/bench/noop.lua" "$URL/q/health/live" | tee -a "$RESULTS"
    run providers "$c" "$DURATION" -s "$ROOT/bench/provider-list.lua" "$URL" | tee -a "$RESULTS"
    ( while true; do rss_kb "$(broker_pid a)"; sleep 0.5; done ) >> "$BENCH_DIR/rss-$c.txt" 2>/dev/null &
    sampler=$!
    [ "${PROFILE:-0}" = 1 ] && jcmd "$(broker_pid a)" JFR.start name=token settings=profile \
      filename="$BENCH_DIR/jfr/token-c$c-r$r.jfr" > /dev/null
    run token "$c" "$DURATION" -s "$ROOT/bench/token-fetch.lua" "$URL" | tee -a "$RESULTS"
    [ "${PROFILE:-0}" = 1 ] && jcmd "$(broker_pid a)" JFR.stop name=token > /dev/null
    kill $sampler
  done
  echo "  broker JVM RSS during token c=$c: max $(sort -n "$BENCH_DIR/rss-$c.txt" | tail -1) kB"
done
echo "summary (median [min..max] over $ROUNDS rounds of $DURATION; targets: ratios >= 0.5 and >= 0.8, p99 <= 10 ms at 64):"
for c in $LEVELS; do
  awk -v c="c=$c" '
    $2 == c {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if ($1 == "noop") noop = v["rps"]
      else if ($1 == "providers") prov = v["rps"]
      else if ($1 == "token") { n++; a[n] = v["rps"] / noop; b[n] = v["rps"] / prov; p[n] = v["p99_ms"] }
      if ($1 == "noop") cn[++nn] = v["cpu_us_per_req"]
      if ($1 == "providers") cp[++np] = v["cpu_us_per_req"]
      if ($1 == "token") ct[++nt] = v["cpu_us_per_req"]
    }
    function med(x, k,   i, j, t) {
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
      return sprintf("%.2f [%.2f..%.2f]", (k % 2) ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2, x[1], x[k])
    }
    END {
      printf "  %s token/no-op %s  token/authenticated-no-op %s  token p99_ms %s\n", c, med(a, n), med(b, n), med(p, n)
      printf "  %s CPU us per request (broker + PostgreSQL): no-op %s  authenticated no-op %s  token %s\n", c, med(cn, nn), med(cp, np), med(ct, nt)
    }
  ' "$RESULTS"
  echo "  c=$c broker JVM RSS during token runs: max $(sort -n "$BENCH_DIR/rss-$c.txt" | tail -1) kB"
done
echo "upstream calls during the token runs: $(standin_stats)"
echo "audit queue full warnings: $(grep -c 'audit queue full' "$BENCH_DIR/broker-a.log" || true)"
pg_rss=$(ps -o rss= --ppid "$(head -1 "$BENCH_DIR/pg/postmaster.pid")" | awk '{s+=$1} END {print s}')
echo "embedded PostgreSQL children RSS sum (over-counts shared buffers): ${pg_rss} kB"

if [ "${SMOKE:-0}" != 1 ]; then
  stop_broker "$(broker_pid a)"
  ready_ms=$(start_broker b "$PORT" "jdbc:embedded-postgresql:$BENCH_DIR/pg")
  echo "start to ready (second start, existing data dir; target <= 3000 ms): ${ready_ms} ms; idle RSS after ready: $(rss_kb "$(broker_pid b)") kB"
fi
