#!/usr/bin/env bash
# Full benchmark for one profile: fresh SQLite folder, import+activate, start n8n, one warm-up
# run (100 contacts, not counted), then RUNS measured runs of N contacts at concurrency C.
# Usage: run-bench.sh [default|nosave]   env: N=1000 C=20 RUNS=3 [PACED=5]
# Needs the SMTP sink (start-sink.sh) running. Results: $PEER_DIR/results/bench-<profile>.jsonl
set -eo pipefail
S="$(cd "$(dirname "$0")" && pwd)"
. "$S/env.sh" "${1:-default}"
N=${N:-1000}; C=${C:-20}; RUNS=${RUNS:-3}
mkdir -p "$PEER_DIR/results"; out="$PEER_DIR/results/bench-$N8N_PROFILE.jsonl"; : > "$out"
curl -sf "http://127.0.0.1:$SMTP_SINK_HTTP_PORT/stats" >/dev/null || bash "$S/start-sink.sh"
bash "$S/setup.sh" "$N8N_PROFILE"
bash "$S/start-n8n.sh" "$N8N_PROFILE"
pid=$(cat "$PEER_DIR/n8n.pid")
db="$N8N_USER_FOLDER/.n8n/database.sqlite"
export NODE_PATH="$PEER_DIR/node_modules"
node "$S/bench.js" --n 100 --c "$C" --run "$N8N_PROFILE-warmup" --pid "$pid" --db "$db" | tee -a "$out"
for i in $(seq 1 "$RUNS"); do
  sleep 3
  node "$S/bench.js" --n "$N" --c "$C" --run "$N8N_PROFILE-r$i" --pid "$pid" --db "$db" | tee -a "$out"
done
# unloaded reference: 100 contacts one at a time (concurrency 1), kept in a separate file
sleep 3
node "$S/bench.js" --n 100 --c 1 --run "$N8N_PROFILE-serial" --pid "$pid" --db "$db" | tee "$PEER_DIR/results/bench-$N8N_PROFILE-serial.jsonl"
# optional paced reference (PACED=5: 100 contacts, request i sent at i/5 s): below capacity whatever the HTTP latency
rm -f "$PEER_DIR/results/bench-$N8N_PROFILE-paced.jsonl"
if [ -n "${PACED:-}" ]; then
  sleep 3
  node "$S/bench.js" --n 100 --c 1 --rate "$PACED" --run "$N8N_PROFILE-paced" --pid "$pid" --db "$db" | tee "$PEER_DIR/results/bench-$N8N_PROFILE-paced.jsonl"
fi
# open-loop references, added in Tend's copy of the kit (test/bench/peers/README.md): events on a
# schedule whatever the answers, latency counted from each event's scheduled time.
# STEADY=20: 10 s at 20 events/s (issue #14's steady load); OPEN=100: 10 s at 100 events/s.
rm -f "$PEER_DIR/results/bench-$N8N_PROFILE-steady.jsonl" "$PEER_DIR/results/bench-$N8N_PROFILE-open.jsonl"
if [ -n "${STEADY:-}" ]; then
  sleep 3
  node "$S/bench.js" --n $((STEADY * 10)) --c 50 --rate "$STEADY" --run "$N8N_PROFILE-steady" --pid "$pid" --db "$db" | tee "$PEER_DIR/results/bench-$N8N_PROFILE-steady.jsonl"
fi
if [ -n "${OPEN:-}" ]; then
  sleep 3
  node "$S/bench.js" --n $((OPEN * 10)) --c 50 --rate "$OPEN" --run "$N8N_PROFILE-open" --pid "$pid" --db "$db" | tee "$PEER_DIR/results/bench-$N8N_PROFILE-open.jsonl"
fi
bash "$S/stop-n8n.sh"
node "$S/summarize.js" "$out" "$PEER_DIR/results/bench-$N8N_PROFILE-serial.jsonl"
