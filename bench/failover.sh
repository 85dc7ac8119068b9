#!/usr/bin/env bash
# Failover of a channel's orders when the node hosting its account, nonces and SKU is killed -9.
#   mvn -B -ntp -DskipTests package && bench/failover.sh ["<JAVA_OPTS for every node>"]
# Starts bin/local-cluster.sh 3 on a fresh data directory, sets up one SKU (5,000 codes) and one
# channel through node 1, sends signed orders one after another to node 2, kills node 1 (which
# then hosts every entity involved) after 10 s, and prints the seconds without a 201. Needs curl,
# openssl and python3. Cassandra (a child of node 1) survives the kill and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
OPTS=${1:-}
WORK=$(mktemp -d)
LOG=.quanyi/local-cluster
rm -rf .quanyi

cleanup() {
  pkill -f 'bin/local-cluster.sh' 2>/dev/null || true
  pkill -f 'node/target/quanyi-node.jar' 2>/dev/null || true
  sleep 3
  [ -f .quanyi/cassandra/cassandra.pid ] && kill "$(cat .quanyi/cassandra/cassandra.pid)" 2>/dev/null || true
}
trap cleanup EXIT

(JAVA_OPTS="$OPTS" nohup bin/local-cluster.sh 3 > "$WORK/cluster.log" 2>&1 &)
for _ in $(seq 1 200); do grep -q 'is ready' "$WORK/cluster.log" 2>/dev/null && break; sleep 1; done
grep -q 'is ready' "$WORK/cluster.log" || { echo "the cluster did not start" >&2; cat "$WORK/cluster.log" >&2; exit 1; }
TOKEN=$(grep -o 'admin token: [0-9a-f]*' "$WORK/cluster.log" | awk '{print $3}')
ADMIN=(-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json')

curl -sf -X POST localhost:8080/admin/v1/skus "${ADMIN[@]}" -d '{"skuId":"failover","name":"Failover","kind":"CARD_CODE",
  "faceValue":{"amount":2500,"currency":"CNY"},"listPrice":{"amount":1990,"currency":"CNY"},"riskLevel":"LOW"}' > /dev/null
seq 1 5000 | sed 's/^/FO-/' | curl -sf -X POST "localhost:8080/admin/v1/skus/failover/batches?supplierId=s&unitCost=1500" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary @- > /dev/null
curl -sf -X POST localhost:8080/admin/v1/channels "${ADMIN[@]}" -d '{"channelId":"shop","name":"Shop"}' > "$WORK/channel.json"
curl -sf -X POST localhost:8080/admin/v1/channels/shop/deposits "${ADMIN[@]}" \
  -d '{"amount":{"amount":100000000,"currency":"CNY"},"reference":"w1"}' > /dev/null
curl -sf -X PUT localhost:8080/admin/v1/channels/shop/prices/failover "${ADMIN[@]}" \
  -d '{"price":{"amount":2000,"currency":"CNY"}}' > /dev/null
KEY=$(python3 -c "import json;print(json.load(open('$WORK/channel.json'))['apiKey'])")
SECRET=$(python3 -c "import json;print(json.load(open('$WORK/channel.json'))['apiSecret'])")

order() {  # one signed order to node 2; prints "epoch-seconds status"
  local body="{\"clientOrderNo\":\"F-$1\",\"skuId\":\"failover\",\"quantity\":1,\"buyer\":{\"userId\":\"u\",\"ip\":\"203.0.113.7\"}}"
  local ts nonce hash sig
  ts=$(date +%s%3N); nonce="n-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  hash=$(printf '%s' "$body" | openssl dgst -sha256 -hex | awk '{print $2}')
  sig=$(printf 'POST\n/api/v1/orders\n%s\n%s\n%s' "$ts" "$nonce" "$hash" | openssl dgst -sha256 -hmac "$SECRET" -hex | awk '{print $2}')
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -m 30 -X POST localhost:8081/api/v1/orders -H "X-Quanyi-Key: $KEY" \
    -H "X-Quanyi-Timestamp: $ts" -H "X-Quanyi-Nonce: $nonce" -H "X-Quanyi-Signature: $sig" \
    -H 'Content-Type: application/json' --data-binary "$body" || true)
  echo "$(date +%s.%N) $status"
}

(i=0; end=$(( $(date +%s) + 75 )); while [ "$(date +%s)" -lt "$end" ]; do i=$((i + 1)); order "$i"; done > "$WORK/orders.txt") &
LOOP=$!
sleep 10
for kind in ChannelAccount NonceRegistry SkuInventory; do
  echo "node 1 hosts $kind: $(curl -s "127.0.0.1:8558/cluster/shards/$kind")"
done
kill -9 "$(ss -ltnp | grep ':8080 ' | grep -o 'pid=[0-9]*' | cut -d= -f2)"
KILLED=$(date +%s.%N)
wait "$LOOP"

python3 - "$WORK/orders.txt" "$KILLED" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
killed = float(sys.argv[2])
ok = [float(t) for t, s in lines if s == '201']
after = [t for t in ok if t > killed]
print('orders sent: %d, 201: %d, other answers: %d' % (len(lines), len(ok), len(lines) - len(ok)))
print('first 201 after the kill: %s' % ('%.1f s' % (after[0] - killed) if after else 'none'))
print('longest time without a 201: %.1f s' % max(b - a for a, b in zip(ok, ok[1:])))
PY
grep -h 'Marking node as UNREACHABLE\|SBR took decision\|Leader is removing unreachable' "$LOG/node2.log" | cut -c1-160 || true
echo "killed at $(date -u -d @"${KILLED%.*}" +%H:%M:%S)"
