#!/usr/bin/env bash
# Benchmark 3: scheduled refresh throughput of N due connections on PostgreSQL against a stand-in
# upstream that answers in DELAY_MS, with one instance and then two sharing the database.
# Baseline (same run): the same N calls made straight to the stand-in with the same total
# concurrency, no broker in between. Run on demand: bench/refresh.sh (see bench/README.md).
source "$(dirname "$0")/lib.sh"

N=${N:-10000}
DELAY_MS=${DELAY_MS:-50}
CONC=${CONC:-64}          # broker.refresh.concurrency-per-provider: 64 reaches 500/s steady against 50 ms (docs/performance.md 3)
BATCH=${BATCH:-10000}     # broker.refresh.batch-size: most refreshes per run and provider
POOL=${POOL:-$((CONC + 8))} # quarkus.datasource.jdbc.max-size: every worker may hold a connection
INTERVAL=${INTERVAL:-1s}  # broker.refresh.interval
INSTANCES=${INSTANCES:-"1 2"}

bench_init
start_standin "$DELAY_MS"

# phase <instances>: a fresh database held by a broker whose scheduler is off (it only hosts the
# embedded PostgreSQL), N due connections, then <instances> brokers with the scheduler on, reaching
# the database through a plain jdbc:postgresql: URL as production replicas do.
phase() {
  local k=$1 dir="$BENCH_DIR/pg-$1"
  start_broker "hold$k" 18082 "jdbc:embedded-postgresql:$dir" BROKER_REFRESH_SCHEDULER_ENABLED=false > /dev/null
  local url; url=$(embedded_pg_url "$dir")
  seed "$url" "$N" svc-bench-0 60 "$BENCH_DIR/ids-$k.txt"   # access token lives 60 s: due now
  standin_reset
  java "$ROOT/bench/DirectCalls.java" "http://127.0.0.1:$UPSTREAM_PORT/token" "$N" $((CONC * k)) | sed "s/^/baseline ($k x $CONC threads): /"
  echo "baseline as the stand-in saw it: $(standin_stats)"
  standin_reset
  local t0; t0=$(now_ms)
  local starting=()
  for i in $(seq 1 "$k"); do
    start_broker "r$k-$i" $((18082 + i)) "$url" \
      QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
      BROKER_REFRESH_CONCURRENCY_PER_PROVIDER="$CONC" BROKER_REFRESH_BATCH_SIZE="$BATCH" \
      BROKER_REFRESH_INTERVAL="$INTERVAL" BROKER_REFRESH_INITIAL_DELAY=1s \
      QUARKUS_DATASOURCE_JDBC_MAX_SIZE="$POOL" \
      BROKER_REFRESH_OWNER_ID="bench-r$k-$i" > "$BENCH_DIR/ready-r$k-$i" &
    starting+=($!)
  done
  wait "${starting[@]}" # not a bare wait: the stand-in runs in the background too
  echo "instances ready after $(( $(now_ms) - t0 )) ms (each: $(cat "$BENCH_DIR"/ready-r$k-* | tr '\n' ' ')ms)"
  local deadline=$(( $(now_ms) + 600000 )) stats
  while :; do
    stats=$(standin_stats)
    local done_n; done_n=$(echo "$stats" | sed 's/.*"connections":\([0-9]*\).*/\1/')
    [ "$done_n" -ge "$N" ] && break
    [ "$(now_ms)" -gt "$deadline" ] && { echo "timeout: $stats"; break; }
    sleep 1
  done
  sleep 3 # let a late duplicate show up if there were one
  stats=$(standin_stats)
  local span; span=$(echo "$stats" | sed 's/.*"first_to_last_call_s":\([0-9.]*\).*/\1/')
  # rate_per_s includes the brokers' warm-up (JIT, first claims); busiest_10s_per_s in the stats is
  # the steady rate once warm.
  echo "$k instance(s): $stats rate_per_s=$(awk -v n="$N" -v s="$span" 'BEGIN{printf "%.0f", n/s}') load=[$(cut -d' ' -f1-3 /proc/loadavg)]"
  for i in $(seq 1 "$k"); do
    echo "  r$k-$i: $(grep -c 'refresh' "$BENCH_DIR/broker-r$k-$i.log" || true) log lines mentioning refresh, RSS $(rss_kb "$(broker_pid "r$k-$i")") kB"
    stop_broker "$(broker_pid "r$k-$i")"
  done
  stop_broker "$(broker_pid "hold$k")"
}

echo "settings: N=$N delay=${DELAY_MS}ms concurrency-per-provider=$CONC batch-size=$BATCH interval=$INTERVAL pool=$POOL"
for k in $INSTANCES; do phase "$k"; done
