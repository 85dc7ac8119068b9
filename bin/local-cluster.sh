#!/usr/bin/env bash
# A Quanyi cluster on this machine: N nodes (default 3) over one embedded Cassandra.
#   mvn -B -ntp -DskipTests package && bin/local-cluster.sh 3
# JAVA_OPTS reaches every node (e.g. -Dpekko.cluster.split-brain-resolver.stable-after=5s).
# Node 1 runs the local profile (starts Cassandra, creates the schema, generates the vault keys);
# nodes 2..N run the cluster profile against it with the same keys and admin token. Each node's
# log is in $DIR/local-cluster/node<i>.log; Ctrl-C stops every node (and Cassandra with node 1;
# a node 1 killed with -9 leaves Cassandra running: its pid is in $DIR/cassandra/).
# DIR is QUANYI_CLUSTER_DIR, by default .quanyi (the single node's own directory: data and keys).
set -euo pipefail
cd "$(dirname "$0")/.."

NODES=${1:-3}
JAR=node/target/quanyi-node.jar
[ -f "$JAR" ] || { echo "no $JAR: build first (mvn -B -ntp -DskipTests package)" >&2; exit 1; }
[ "$NODES" -ge 1 ] 2>/dev/null || { echo "usage: bin/local-cluster.sh [nodes]" >&2; exit 2; }

export QUANYI_ADMIN_TOKEN=${QUANYI_ADMIN_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
DIR=${QUANYI_CLUSTER_DIR:-.quanyi}
LOGS=$DIR/local-cluster
mkdir -p "$LOGS"
export QUANYI_CASSANDRA_DATA_DIR=$DIR/cassandra QUANYI_VAULT_KEY_FILE=$DIR/keys/vault.keys
PIDS=()

stop_all() {
  trap - EXIT INT TERM
  # The joined nodes first: node 1 also stops Cassandra.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
}
trap stop_all EXIT INT TERM

start_node() {
  local i=$1; shift
  env "$@" QUANYI_HTTP_PORT=$((8079 + i)) QUANYI_MANAGEMENT_PORT=$((8557 + i)) QUANYI_REMOTE_PORT=$((2550 + i)) \
    java ${JAVA_OPTS:-} -jar "$JAR" > "$LOGS/node$i.log" 2>&1 &
  PIDS+=($!)
}

await_ready() {
  local i=$1
  for _ in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$((8557 + i))/ready" > /dev/null; then return 0; fi
    if ! kill -0 "${PIDS[$((i - 1))]}" 2>/dev/null; then
      echo "node $i stopped; see $LOGS/node$i.log" >&2; tail -20 "$LOGS/node$i.log" >&2; exit 1
    fi
    sleep 1
  done
  echo "node $i not ready after 180 s; see $LOGS/node$i.log" >&2
  exit 1
}

start_node 1 QUANYI_PROFILE=local
await_ready 1
for ((i = 2; i <= NODES; i++)); do
  start_node "$i" QUANYI_PROFILE=cluster QUANYI_HOSTNAME=127.0.0.1 QUANYI_HTTP_INTERFACE=127.0.0.1 \
    QUANYI_SEED_NODES=pekko://quanyi@127.0.0.1:2551 QUANYI_CASSANDRA_CONTACT_POINTS=127.0.0.1:9042 \
    QUANYI_CASSANDRA_REPLICATION_FACTOR=1
done
for ((i = 2; i <= NODES; i++)); do await_ready "$i"; done

echo "Quanyi cluster of $NODES nodes is ready (admin token: $QUANYI_ADMIN_TOKEN)"
printf '%-6s %-24s %-24s %s\n' node "HTTP API" management remoting
for ((i = 1; i <= NODES; i++)); do
  printf '%-6s %-24s %-24s %s\n' "$i" "http://127.0.0.1:$((8079 + i))" "http://127.0.0.1:$((8557 + i))" "127.0.0.1:$((2550 + i))"
done
echo "Cassandra (CQL): 127.0.0.1:9042. Members: curl -s 127.0.0.1:8558/cluster/members. Ctrl-C stops all."
# Until every node has stopped: a node killed on purpose leaves the others running.
wait
