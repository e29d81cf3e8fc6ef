#!/usr/bin/env bash
# Full Tend benchmark, the twin of ../n8n/run-bench.sh: fresh data dir, start Tend (stack, server,
# worker), create + publish the program, one warm-up run (WARMUP contacts, not counted), RUNS
# measured runs of N contacts at concurrency C, then the unloaded reference (SERIAL contacts at
# concurrency 1), stop Tend. Needs the SMTP sink of the n8n kit (started here when down; left running).
# Usage: run-bench.sh    env: N=1000 C=20 RUNS=3 WARMUP=100 SERIAL=100 [PACED=5] (CONC is accepted for C)
# Results: $PEER_TEND_DIR/results/bench-tend.jsonl and bench-tend-serial.jsonl
set -eo pipefail
S="$(cd "$(dirname "$0")" && pwd)"
. "$S/env.sh"
N=${N:-1000}; C=${C:-${CONC:-20}}; RUNS=${RUNS:-3}; WARMUP=${WARMUP:-100}; SERIAL=${SERIAL:-100}
R="$PEER_TEND_DIR/results"; mkdir -p "$R"; out="$R/bench-tend.jsonl"; : > "$out"
export NODE_PATH="$PEER_DIR/node_modules"
curl -sf "http://127.0.0.1:$SMTP_SINK_HTTP_PORT/stats" >/dev/null || bash "$N8N_PEER_SCRIPTS/start-sink.sh"
trap 'bash "$S/stop-tend.sh" >/dev/null 2>&1 || true' EXIT
bash "$S/start-tend.sh"
bash "$S/setup.sh"
pids=$(tend_pids)
echo "process roots: $pids"
node "$S/bench.js" --n "$WARMUP" --c "$C" --run "tend-warmup" --pids "$pids" | tee -a "$out"
for i in $(seq 1 "$RUNS"); do
  sleep 3
  node "$S/bench.js" --n "$N" --c "$C" --run "tend-r$i" --pids "$pids" | tee -a "$out"
done
sleep 3
node "$S/bench.js" --n "$SERIAL" --c 1 --run "tend-serial" --pids "$pids" | tee "$R/bench-tend-serial.jsonl"
rm -f "$R/bench-tend-paced.jsonl"
if [ -n "${PACED:-}" ]; then   # optional paced reference: SERIAL contacts, request i sent at i/PACED s
  sleep 3
  node "$S/bench.js" --n "$SERIAL" --c 1 --rate "$PACED" --run "tend-paced" --pids "$pids" | tee "$R/bench-tend-paced.jsonl"
fi
# open-loop references, added in Tend's copy of the kit (test/bench/peers/README.md): events on a
# schedule whatever the answers, latency counted from each event's scheduled time.
# STEADY=20: 10 s at 20 events/s (issue #14's steady load); OPEN=100: 10 s at 100 events/s.
rm -f "$R/bench-tend-steady.jsonl" "$R/bench-tend-open.jsonl"
if [ -n "${STEADY:-}" ]; then
  sleep 3
  node "$S/bench.js" --n $((STEADY * 10)) --c 50 --rate "$STEADY" --run "tend-steady" --pids "$pids" | tee "$R/bench-tend-steady.jsonl"
fi
if [ -n "${OPEN:-}" ]; then
  sleep 3
  node "$S/bench.js" --n $((OPEN * 10)) --c 50 --rate "$OPEN" --run "tend-open" --pids "$pids" | tee "$R/bench-tend-open.jsonl"
fi
bash "$S/stop-tend.sh"
trap - EXIT
node "$S/../compare.js" --tend "$out" --tend-serial "$R/bench-tend-serial.jsonl" --tend-paced "$R/bench-tend-paced.jsonl"
