#!/usr/bin/env bash
# Failover of a channel's orders when the node hosting its account, nonces and SKU is killed -9.
#   mvn -B -ntp -DskipTests package && bench/failover.sh ["<JAVA_OPTS for every node>"]
# Starts bin/local-cluster.sh 3 in a new temporary directory, sets up one SKU (5,000 codes) and one
# channel through node 1, sends signed orders one after another to node 2, kills node 1 (which
# then hosts every entity involved) after 10 s, and prints the seconds without a 201. Needs curl,
# openssl and python3. Cassandra (a child of node 1) survives the kill and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
OPTS=${1:-}
WORK=$(mktemp -d)
# A cluster of its own, in a directory of its own: never the single node's .quanyi.
export QUANYI_CLUSTER_DIR=$WORK/cluster
LOG=$QUANYI_CLUSTER_DIR/local-cluster

cleanup() {
  pkill -f 'bin/local-cluster.sh' 2>/dev/null || true
  pkill -f 'node/target/quanyi-node.jar' 2>/dev/null || true
  sleep 3
  [ -f "$QUANYI_CLUSTER_DIR/cassandra/cassandra.pid" ] && kill "$(cat "$QUANYI_CLUSTER_DIR/cassandra/cassandra.pid")" 2>/dev/null || true
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

signed() {  # signed METHOD PATH BODY PORT: prints "status body" of one signed partner request
  local ts nonce hash sig
  ts=$(date +%s%3N); nonce="n-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  hash=$(printf '%s' "$3" | openssl dgst -sha256 -hex | awk '{print $2}')
  sig=$(printf '%s\n%s\n%s\n%s\n%s' "$1" "$2" "$ts" "$nonce" "$hash" | openssl dgst -sha256 -hmac "$SECRET" -hex | awk '{print $2}')
  local out
  out=$(curl -s -m 30 -w '\n%{http_code}' -X "$1" "localhost:$4$2" -H "X-Quanyi-Key: $KEY" -H "X-Quanyi-Timestamp: $ts" \
    -H "X-Quanyi-Nonce: $nonce" -H "X-Quanyi-Signature: $sig" -H 'Content-Type: application/json' \
    ${3:+--data-binary "$3"} || true)
  echo "${out##*$'\n'} ${out%$'\n'*}"
}

order() {  # one order to node 2; prints "epoch-seconds status orderNo body"
  local answer
  answer=$(signed POST /api/v1/orders \
    "{\"clientOrderNo\":\"F-$1\",\"skuId\":\"failover\",\"quantity\":1,\"buyer\":{\"userId\":\"u\",\"ip\":\"203.0.113.7\"}}" 8081)
  echo "$(date +%s.%N) ${answer%% *} F-$1 ${answer#* }"
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
lines = [l.split(' ', 3) for l in open(sys.argv[1]) if l.strip()]
killed = float(sys.argv[2])
ok = [float(t) for t, s, *_ in lines if s == '201']
after = [t for t in ok if t > killed]
print('orders sent: %d, 201: %d, other answers: %d' % (len(lines), len(ok), len(lines) - len(ok)))
print('first 201 after the kill: %s' % ('%.1f s' % (after[0] - killed) if after else 'none'))
print('longest time without a 201: %.1f s' % max(b - a for a, b in zip(ok, ok[1:])))
PY
# Afterwards, from node 3: every 201 is DELIVERED with the code it was answered with, no code went
# to two orders, and the ledger check (accounts, orders, stock) comes out clean.
awk '$2 == 201 {print $3}' "$WORK/orders.txt" | while read -r no; do
  echo "$no $(signed GET "/api/v1/orders/$no" '' 8082)"
done > "$WORK/after.txt"
python3 - "$WORK/orders.txt" "$WORK/after.txt" <<'PY'
import json, sys
answered = {}
for line in open(sys.argv[1]):
    parts = line.rstrip('\n').split(' ', 3)
    if len(parts) == 4 and parts[1] == '201':
        answered[parts[2]] = [c['code'] for c in json.loads(parts[3])['codes']]
wrong, codes = [], []
for line in open(sys.argv[2]):
    no, status, body = line.rstrip('\n').split(' ', 2)
    order = json.loads(body) if status == '200' else {}
    now = [c['code'] for c in order.get('codes', [])]
    codes += now
    if order.get('status') != 'DELIVERED' or now != answered[no]:
        wrong.append(no)
print('201s read back: %d, not DELIVERED with the codes answered: %d, codes in two orders: %d'
      % (len(answered), len(wrong), len(codes) - len(set(codes))))
PY
for _ in $(seq 1 60); do
  CHECK=$(curl -s localhost:8082/admin/v1/reports/ledger-check -H "Authorization: Bearer $TOKEN")
  echo "$CHECK" | grep -q '"consistent":true' && break
  sleep 1
done
echo "ledger check: $(echo "$CHECK" | head -c 200)"
grep -h 'Marking node as UNREACHABLE\|SBR took decision\|Leader is removing unreachable' "$LOG/node2.log" | cut -c1-160 || true
echo "killed at $(date -u -d @"${KILLED%.*}" +%H:%M:%S)"
