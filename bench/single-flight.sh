#!/usr/bin/env bash
# Benchmark 2: N (default 1000) concurrent fetches of one connection whose access token has
# expired must cause exactly one upstream refresh call (counted at the stand-in). Baseline (same
# run): the same N concurrent fetches once the token is fresh (hot path, no upstream call).
source "$(dirname "$0")/lib.sh"

N=${N:-1000}
DELAY_MS=${DELAY_MS:-50}
PORT=${PORT:-18080}

bench_init
start_standin "$DELAY_MS"
start_broker a "$PORT" "jdbc:embedded-postgresql:$BENCH_DIR/pg" BROKER_REFRESH_SCHEDULER_ENABLED=false > /dev/null
seed "$(embedded_pg_url "$BENCH_DIR/pg")" 1 svc-bench-0 -60 "$BENCH_DIR/ids.txt"   # expired a minute ago
id=$(head -1 "$BENCH_DIR/ids.txt")
jwt=$(mint_jwt "$PORT" svc-bench-0)
standin_reset
echo "expired token, $N concurrent: $(java "$ROOT/bench/ConcurrentTokenFetches.java" "http://127.0.0.1:$PORT" "$jwt" "$id" "$N")"
echo "  upstream: $(standin_stats)"
standin_reset
echo "fresh token (baseline), $N concurrent: $(java "$ROOT/bench/ConcurrentTokenFetches.java" "http://127.0.0.1:$PORT" "$jwt" "$id" "$N")"
echo "  upstream: $(standin_stats)"
echo "load=[$(cut -d' ' -f1-3 /proc/loadavg)]"
