#!/usr/bin/env bash
# n8n and Tend side by side, one system at a time, then a comparison table.
#   1. n8n  run-bench.sh default: warm-up, RUNS x N contacts at concurrency CONC, serial reference (100 @ c=1),
#           paced reference (100 @ PACED/s)
#   2. Tend run-bench.sh: the same
#   3. durability, for each W in DUR_WAITS: n8n durability.sh W; Tend durability.sh W for each KILL in TEND_KILLS
#   4. compare.js: the table (also written to $PEER_TEND_DIR/results/side-by-side-<UTC time>.txt)
# Every step stops its system afterwards, even on failure; a failed step shows as "—" in the table.
# Env: N=1000 CONC=20 RUNS=3 PACED=5 STEADY=20 OPEN=100 (Tend's copy: open-loop runs, see README.md) DUR_WAITS="30 70" DUR_N=100 DUR_MARGIN=60 (observe W+60 s)
#      TEND_KILLS="worker all" SKIP="" (any of: n8n tend dur-n8n dur-tend)
# Needs: the n8n peer installed (n8n/install.sh), the Tend checkout (tend/install.sh); nothing else on
# ports 5678, 3000, 2525/2526, 55432, 57233. About 16-20 minutes with the defaults on 2 cores.
set -o pipefail
P="$(cd "$(dirname "$0")" && pwd)"
. "$P/tend/env.sh"                      # PEER_DIR (n8n), PEER_TEND_DIR, TEND_DIR, ports
N=${N:-1000}; CONC=${CONC:-20}; RUNS=${RUNS:-3}; PACED=${PACED:-5}; STEADY=${STEADY:-20}; OPEN=${OPEN:-100}
DUR_WAITS=${DUR_WAITS:-30 70}; DUR_N=${DUR_N:-100}; DUR_MARGIN=${DUR_MARGIN:-60}; TEND_KILLS=${TEND_KILLS:-worker all}
SKIP=" ${SKIP:-} "
R="$PEER_TEND_DIR/results"; mkdir -p "$R"
stamp=$(date -u +%Y%m%dT%H%M%SZ); report="$R/side-by-side-$stamp.txt"; steps="$R/side-by-side-$stamp.log"
T0=$(date +%s)
say() { echo "[$(date +%T) +$(( $(date +%s) - T0 ))s] $*" | tee -a "$steps"; }
fail=0
step() {   # name, stop-command, command...
  local name=$1 stop=$2; shift 2
  say "START $name"
  if "$@" >>"$steps" 2>&1; then say "DONE  $name"; else say "FAILED $name (see $steps)"; fail=$((fail + 1)); fi
  bash -c "$stop" >>"$steps" 2>&1 || true
}

[ -x "$PEER_DIR/node_modules/.bin/n8n" ] || { echo "n8n peer not installed in $PEER_DIR: bash $P/n8n/install.sh" >&2; exit 1; }
[ -x "$TEND_DIR/node_modules/.bin/tsx" ] || { echo "no Tend checkout in $TEND_DIR: bash $P/tend/install.sh" >&2; exit 1; }
for port in 5678 "$TEND_PORT" "$TEND_PG_PORT" "$TEND_TEMPORAL_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "127.0.0.1:$port is in use; stop it first" >&2; exit 1; fi
done
sink_started=0
if ! curl -sf "http://127.0.0.1:$SMTP_SINK_HTTP_PORT/stats" >/dev/null; then bash "$P/n8n/start-sink.sh" >>"$steps" 2>&1 && sink_started=1; fi
cleanup() {
  bash "$P/n8n/stop-n8n.sh" >/dev/null 2>&1 || true
  bash "$P/tend/stop-tend.sh" >/dev/null 2>&1 || true
  [ "$sink_started" = 1 ] && bash "$P/n8n/stop-sink.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

say "side by side: N=$N CONC=$CONC RUNS=$RUNS PACED=$PACED DUR_WAITS=($DUR_WAITS) DUR_N=$DUR_N TEND_KILLS=($TEND_KILLS); load: $(cut -d' ' -f1-3 /proc/loadavg); log: $steps"
[[ $SKIP == *" n8n "* ]] || step "n8n bench" "bash $P/n8n/stop-n8n.sh" env N="$N" C="$CONC" RUNS="$RUNS" PACED="$PACED" STEADY="$STEADY" OPEN="$OPEN" bash "$P/n8n/run-bench.sh" default
[[ $SKIP == *" tend "* ]] || step "Tend bench" "bash $P/tend/stop-tend.sh" env N="$N" C="$CONC" RUNS="$RUNS" PACED="$PACED" STEADY="$STEADY" OPEN="$OPEN" bash "$P/tend/run-bench.sh"
durs=()
for W in $DUR_WAITS; do
  if [[ $SKIP != *" dur-n8n "* ]]; then
    step "n8n durability W=$W" "bash $P/n8n/stop-n8n.sh" env N="$DUR_N" OBSERVE=$((W + DUR_MARGIN)) bash "$P/n8n/durability.sh" "$W"
    durs+=("$PEER_DIR/results/durability-wait$W.log")
  fi
  if [[ $SKIP != *" dur-tend "* ]]; then
    for K in $TEND_KILLS; do
      step "Tend durability W=$W KILL=$K" "bash $P/tend/stop-tend.sh" env N="$DUR_N" C=20 OBSERVE=$((W + DUR_MARGIN)) KILL="$K" bash "$P/tend/durability.sh" "$W"
      durs+=("$R/durability-wait$W-$K.log")
    done
  fi
done
say "all steps done in $(( $(date +%s) - T0 )) s, $fail failed; load: $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "n8n 1.123.50 vs Tend ($(git -C "$TEND_DIR" log -1 --format='%h %cs' 2>/dev/null)), $stamp; N=$N CONC=$CONC RUNS=$RUNS"
  echo
  node "$P/compare.js" --n8n "$PEER_DIR/results/bench-default.jsonl" --n8n-serial "$PEER_DIR/results/bench-default-serial.jsonl" \
    --n8n-paced "$PEER_DIR/results/bench-default-paced.jsonl" --tend "$R/bench-tend.jsonl" --tend-serial "$R/bench-tend-serial.jsonl" \
    --tend-paced "$R/bench-tend-paced.jsonl" \
    --n8n-steady "$PEER_DIR/results/bench-default-steady.jsonl" --tend-steady "$R/bench-tend-steady.jsonl" \
    --n8n-open "$PEER_DIR/results/bench-default-open.jsonl" --tend-open "$R/bench-tend-open.jsonl" --dur "${durs[@]}"
} | tee "$report"
echo "table: $report; step log: $steps"
[ "$fail" = 0 ]
