#!/usr/bin/env bash
# A flash sale on this machine, end to end: starts the node as the README does (on a fresh embedded
# Cassandra), runs a load scenario from a separate JVM (loadtest/), reads Cassandra's own per-table
# counters and the node's count of started threads at the edges of the measured window, stops the
# node, runs the relational hot-row peer (../shared/bench/pg-hotrow-baseline.sh) right after, and
# prints the numbers side by side.
#
# Usage: bench/flash-sale.sh [scenario] [clients] [seconds] [codes] [warmup]
#   scenario: hot (default) | soldout | mix | retry | bundle (a bundle of one code of each of two SKUs)
#   QUANYI_CASSANDRA_COMMITLOG_SYNC=periodic|group|batch picks the embedded Cassandra's durability
#   (default: the node's default). BENCH_PG=off skips the PostgreSQL peer.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [[ ${1:-} == --snapshot ]]; then
  # Called by the load generator at the window's edges: Cassandra's counters (the shared
  # CassandraOpCounts, compiled once below so that a snapshot takes about a second, not a compile)
  # and the node's count of started threads.
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dlogback.configurationFile=/dev/null \
    -cp "$BENCH_WORK/opcounts:$root/node/target/lib/*" CassandraOpCounts "127.0.0.1:${BENCH_CQL_PORT}" 2>/dev/null \
    | grep -E '^(read|write|scan) ' > "$2.ops"
  jcmd "$BENCH_NODE_PID" PerfCounter.print | sed -n 's/^java.threads.started=//p' > "$2.threads"
  exit 0
fi

scenario=${1:-hot}; clients=${2:-64}; seconds=${3:-30}; codes=${4:-200000}; warmup=${5:-20}
[[ -f node/target/quanyi-node.jar && -f loadtest/target/quanyi-loadtest.jar ]] \
  || mvn -B -q -ntp -DskipTests package

work=$(mktemp -d /tmp/quanyi-bench.XXXXXX)
export BENCH_WORK=$work
javac -nowarn -d "$work/opcounts" -cp "node/target/lib/*" ../shared/bench/CassandraOpCounts.java
export QUANYI_ADMIN_TOKEN=bench-admin-token-$(date +%s)-0123456789
export QUANYI_CASSANDRA_DATA_DIR=$work/cassandra
export QUANYI_VAULT_KEY_FILE=$work/keys/vault.keys
export BENCH_CQL_PORT=${QUANYI_CASSANDRA_PORT:-9042}
java ${QUANYI_NODE_OPTS:-} -jar node/target/quanyi-node.jar > "$work/node.log" 2>&1 &
node_pid=$!
export BENCH_NODE_PID=$node_pid
stop_node() { kill -TERM "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true; }
trap stop_node EXIT
for _ in $(seq 1 300); do
  grep -q 'Quanyi is ready' "$work/node.log" && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.log"; echo "the node died" >&2; exit 1; }
  sleep 1
done
grep -q 'Quanyi is ready' "$work/node.log" || { echo "the node did not become ready in 300 s" >&2; exit 1; }
sync_mode=$(grep -o 'commitlog_sync[^,;)]*' "$work/node.log" | head -n 1 || true)
echo "node ready (pid $node_pid; ${sync_mode:-commitlog_sync as configured}); log: $work/node.log"

set +e
java -Xms256m -Xmx1g -jar loadtest/target/quanyi-loadtest.jar --url http://127.0.0.1:8080 \
  --token "$QUANYI_ADMIN_TOKEN" --scenario "$scenario" --clients "$clients" --seconds "$seconds" \
  --codes "$codes" --warmup "$warmup" \
  --at-start "$root/bench/flash-sale.sh --snapshot $work/before" \
  --at-end "$root/bench/flash-sale.sh --snapshot $work/after" | tee "$work/load.txt"
load_status=${PIPESTATUS[0]}
set -e
stop_node
trap - EXIT

value() { sed -n "s/^RESULT $1=//p" "$work/load.txt"; }
# Answers between the two snapshots (the middle of what the load generator counted around them).
delivered=$(value between_snapshots_201); refused=$(value between_snapshots_refused)
repeats=$(value between_snapshots_200)
threads=$(( $(cat "$work/after.threads") - $(cat "$work/before.threads") ))
requests=$(( delivered + refused + repeats ))
echo
echo "== between the snapshots: $delivered delivered, $refused refused, $repeats repeats"
if (( delivered > 0 && refused * 20 < delivered )); then
  echo "== Cassandra operations per delivered order"
  python3 ../shared/bench/op-diff.py "$work/before.ops" "$work/after.ops" "$delivered"
elif (( refused > 0 && delivered * 20 < refused )); then
  echo "== Cassandra operations per refusal"
  python3 ../shared/bench/op-diff.py "$work/before.ops" "$work/after.ops" "$refused"
fi
echo "== Cassandra operations per request of any outcome ($requests)"
if (( requests > 0 )); then python3 ../shared/bench/op-diff.py "$work/before.ops" "$work/after.ops" "$requests" | tail -n 1; fi
echo "== threads started in the node's JVM between the snapshots: $threads ($(python3 -c "print(f'{$threads/max(1,$requests):.4f}')") per request)"

pg=""
if [[ ${BENCH_PG:-on} != off ]]; then
  echo "== relational hot-row peer, right after: ../shared/bench/pg-hotrow-baseline.sh 64 30 on"
  pg_out=$(bash ../shared/bench/pg-hotrow-baseline.sh 64 30 on 2>&1 || true)
  echo "$pg_out"
  pg=$(echo "$pg_out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
fi

echo
echo "== summary ($scenario, $clients clients)"
echo "delivered/s $(value delivered_per_s), refused/s $(value refused_per_s), p50 $(value p50_ms) ms, p99 $(value p99_ms) ms, max $(value max_ms) ms"
if [[ -n $pg ]]; then
  echo "PostgreSQL hot row: $pg tps; delivered/s ratio $(python3 -c "print(f'{$(value delivered_per_s)/$pg:.2f}x')")"
fi
echo "invariant violations: $(value violations); work dir: $work"
exit "$load_status"
