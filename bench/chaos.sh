#!/usr/bin/env bash
# The chaos test's harness (node/src/test/java/com/quanyi/node/chaos/ChaosIT.java), longer and louder:
#   bench/chaos.sh [clients] [seconds between faults] [faults]
# Defaults: 16 clients, 20 s, faults kill,rolling,pause,cassandra,kill (kill: kill -9 of the node
# hosting the hot SKU, then started again; rolling: every node stopped with SIGTERM and started again
# in turn; pause: the SKU's node stopped with SIGSTOP for 12 s, then SIGCONT; cassandra: Cassandra
# killed for 20 s, then started again). Three node JVMs and a Cassandra of
# their own on this machine. CHAOS_NODE_PROPERTIES (system properties separated by ';') reaches every
# node, e.g. "pekko.cluster.split-brain-resolver.stable-after=3s". Prints the figures per fault and
# reads every order back and fails if any promise was broken (an acknowledged order lost or changed, a code in two orders, a
# journal sequence number written twice, oversold stock, a balance or a report that does not add up).
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-16}
STEADY=${2:-20}
FAULTS=${3:-kill,rolling,pause,cassandra,kill}
mvn -B -q -ntp -DskipTests install
status=0
mvn -B -ntp -pl node verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ChaosIT \
  -Dchaos.clients="$CLIENTS" -Dchaos.steady-seconds="$STEADY" -Dchaos.faults="$FAULTS" -Dchaos.codes=100000 \
  -Dchaos.read-back-answered=100000000 \
  ${CHAOS_NODE_PROPERTIES:+"-Dchaos.node-properties=$CHAOS_NODE_PROPERTIES"} > node/target/chaos-bench.log 2>&1 \
  || status=$?
grep -h "chaos:" node/target/failsafe-reports/com.quanyi.node.chaos.ChaosIT-output.txt | sort -u
grep -E "Tests run:.*ChaosIT|AssertionFailed|AssertionError" node/target/chaos-bench.log | head -5 || true
echo "log: node/target/chaos-bench.log; node logs: node/target/node-process-*.log"
exit $status
