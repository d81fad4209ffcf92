# Shared helpers for the benchmark scripts; sourced, not run. Every process started here is
# recorded in $BENCH_DIR/pids and stopped by bench_cleanup (by pid, never by name).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${BENCH_JAR:-"$ROOT/target/quarkus-app/quarkus-run.jar"} # BENCH_JAR: another build to compare
UPSTREAM_PORT=${UPSTREAM_PORT:-18090}
# The JVM options of the README's run command: the benchmarks start the jar as users do.
# BROKER_JAVA_OPTS="" measures the JVM's defaults instead (max heap = a quarter of the RAM).
BROKER_JAVA_OPTS=${BROKER_JAVA_OPTS-"-Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=192m"}

bench_init() {
  BENCH_DIR=$(mktemp -d /tmp/token-broker-bench.XXXXXX)
  export BENCH_DIR
  : > "$BENCH_DIR/pids"
  trap bench_cleanup EXIT
  [ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 1; }
  if [ ! -f "$ROOT/target/bench-classpath.txt" ] || [ ! -f "$ROOT/target/test-classes/io/tokenbroker/crypto/BenchConnectionSeeder.class" ]; then
    (cd "$ROOT" && ./mvnw -B -q test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
  fi
  echo "bench dir: $BENCH_DIR"
  echo "broker JVM options: $BROKER_JAVA_OPTS ${BENCH_JAVA_OPTS:-}"
  echo "machine: nproc=$(nproc) $(free -h | awk '/Mem:/{print "mem="$2" avail="$7}') load=[$(cut -d' ' -f1-3 /proc/loadavg)] date=$(date -u +%FT%TZ)"
}

bench_cleanup() {
  # Brokers first (they stop their embedded PostgreSQL on the way out), then the rest.
  if [ -f "$BENCH_DIR/pids" ]; then
    tac "$BENCH_DIR/pids" | while read -r pid; do
      kill "$pid" 2>/dev/null || true
    done
    sleep 3
  fi
}

now_ms() { date +%s%3N; }

# start_standin <delay ms>
start_standin() {
  # STANDIN_JAVA_OPTS, e.g. -Dsun.net.httpserver.nodelay=true (the proxy benchmark's baseline).
  java ${STANDIN_JAVA_OPTS:-} "$ROOT/bench/StandInUpstream.java" "$UPSTREAM_PORT" "$1" > "$BENCH_DIR/standin.log" 2>&1 &
  echo $! >> "$BENCH_DIR/pids"
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$UPSTREAM_PORT/stats" > /dev/null && return 0
    sleep 0.1
  done
  echo "stand-in did not start" >&2; exit 1
}
standin_stats() { curl -s "http://127.0.0.1:$UPSTREAM_PORT/stats"; }
standin_reset() { curl -s -X POST "http://127.0.0.1:$UPSTREAM_PORT/reset" > /dev/null; }

# start_broker <name> <port> <jdbc url> [extra env assignments...]; writes the pid for broker_pid,
# prints the milliseconds from launch to the first 200 on /q/health/ready.
start_broker() {
  local name=$1 port=$2 url=$3; shift 3
  local t0; t0=$(now_ms)
  # {name} in BENCH_JAVA_OPTS becomes the broker name, e.g. one JFR file per broker.
  local opts="$BROKER_JAVA_OPTS ${BENCH_JAVA_OPTS:-}"
  env QUARKUS_HTTP_PORT="$port" \
    QUARKUS_DATASOURCE_JDBC_URL="$url" \
    BROKER_CALLERS_EMBEDDED_KEY_DIRECTORY="$BENCH_DIR/caller-keys" \
    BROKER_CRYPTO_LOCAL_KEY_FILE="$BENCH_DIR/data-keys" \
    BROKER_PROVIDERS_BENCH_CLIENT_ID=bench \
    BROKER_PROVIDERS_BENCH_CLIENT_SECRET=bench-secret \
    BROKER_PROVIDERS_BENCH_AUTHORIZATION_ENDPOINT="http://127.0.0.1:$UPSTREAM_PORT/authorize" \
    BROKER_PROVIDERS_BENCH_TOKEN_ENDPOINT="http://127.0.0.1:$UPSTREAM_PORT/token" \
    BROKER_PROVIDERS_BENCH_DEFAULT_SCOPES=read \
    BROKER_PROVIDERS_BENCH_REDIRECT_URI="http://localhost:$port/v1/oauth/callback" \
    "$@" \
    java ${opts//\{name\}/$name} -jar "$JAR" > "$BENCH_DIR/broker-$name.log" 2>&1 &
  local pid=$!
  echo $pid >> "$BENCH_DIR/pids"
  echo $pid > "$BENCH_DIR/pid-$name"
  for _ in $(seq 1 1200); do
    if curl -sf "http://127.0.0.1:$port/q/health/ready" > /dev/null 2>&1; then
      echo $(( $(now_ms) - t0 ))
      return 0
    fi
    kill -0 $pid 2>/dev/null || { echo "broker $name died; see $BENCH_DIR/broker-$name.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "broker $name not ready" >&2; exit 1
}

broker_pid() { cat "$BENCH_DIR/pid-$1"; }

stop_broker() {
  local pid=$1
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# embedded_pg_url <data dir>: a plain PostgreSQL URL to the embedded server a broker started
# there (its port is line 4 of postmaster.pid), for the seeder and for further instances.
embedded_pg_url() {
  echo "jdbc:postgresql://localhost:$(sed -n 4p "$1/postmaster.pid")/postgres"
}

# seed <jdbc url> <count> <callers> <access ttl s> <ids file>
seed() {
  java -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$ROOT/target/bench-classpath.txt")" \
    io.tokenbroker.crypto.BenchConnectionSeeder "$1" "$BENCH_DIR/data-keys" "$2" bench "$3" "$4" "$5"
}

# mint_jwt <port> <subject>: a caller JWT from the embedded default's /dev/caller-token.
mint_jwt() {
  curl -sf -X POST "http://127.0.0.1:$1/dev/caller-token" -H 'Content-Type: application/json' \
    -d "{\"subject\":\"$2\",\"groups\":[\"token-consumer\"]}" | sed 's/.*"token":"\([^"]*\)".*/\1/'
  echo # the answer has no trailing newline
}

rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
