#!/usr/bin/env bash
# Start Tend in four processes, each in its own process group (setsid), pgid in $TEND_STATE/<name>.pgid:
#   stack   stack.mts: embedded PostgreSQL on $TEND_PG_PORT + Temporal dev server (SQLite file) on $TEND_TEMPORAL_PORT
#   server  `tsx server/cli.ts server` (= npm run server): API on 127.0.0.1:$TEND_PORT + event dispatcher
#   worker  `tsx server/cli.ts worker` (= npm run worker): runs the programs, sends mail to $SMTP_URL
# Usage: start-tend.sh [--keep] [stack|server|worker ...]
#   default: all three, on a FRESH $TEND_DATA_DIR (deleted first); --keep: keep the data (restart after a crash).
# Ready when: stack.json written (ports open), GET /readyz = 200, worker logged that it polls.
set -eo pipefail
S="$(cd "$(dirname "$0")" && pwd)"
. "$S/env.sh"
KEEP=0; parts=()
for a in "$@"; do case "$a" in --keep) KEEP=1 ;; stack|server|worker) parts+=("$a") ;; *) echo "unknown argument $a" >&2; exit 2 ;; esac; done
[ ${#parts[@]} -gt 0 ] || parts=(stack server worker)
ordered=(); for p in stack server worker; do [[ " ${parts[*]} " == *" $p "* ]] && ordered+=("$p"); done; parts=("${ordered[@]}")
LOGS="$PEER_TEND_DIR/logs"; mkdir -p "$TEND_STATE" "$LOGS"
[ -x "$TEND_DIR/node_modules/.bin/tsx" ] || { echo "no Tend checkout with node_modules in $TEND_DIR (run install.sh)" >&2; exit 1; }
[ -x "$TEMPORAL_CLI_PATH" ] || echo "note: $TEMPORAL_CLI_PATH missing; Tend will look on PATH or build it with Go (minutes)" >&2

alive() { local f="$TEND_STATE/$1.pgid"; [ -f "$f" ] && kill -0 -- "-$(cat "$f")" 2>/dev/null; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc | sed 's/^\./0./'; }

for p in "${parts[@]}"; do
  if alive "$p"; then echo "tend $p already running (pgid $(cat "$TEND_STATE/$p.pgid"))" >&2; exit 1; fi
  case $p in stack) ports="$TEND_PG_PORT $TEND_TEMPORAL_PORT" ;; server) ports=$TEND_PORT ;; worker) ports= ;; esac
  for port in $ports; do port_free "$port" || { echo "127.0.0.1:$port is in use (not by this kit's pid files); set TEND_PORT / TEND_PG_PORT / TEND_TEMPORAL_PORT" >&2; exit 1; }; done
done

if [[ " ${parts[*]} " == *" stack "* ]] && [ "$KEEP" = 0 ]; then
  rm -rf "$TEND_DATA_DIR"; mkdir -p "$TEND_DATA_DIR"; chmod 755 "$TEND_DATA_DIR"
  rm -f "$TEND_STATE"/flows.env
fi

launch() {   # name, command...: background, own session, logs appended
  local name=$1; shift
  # The process writes its own id once it leads its new session: `setsid` forks when its caller
  # already leads a process group, and then $! would name a process that has exited.
  rm -f "$TEND_STATE/$name.pgid"
  ( cd "$TEND_DIR" && exec setsid bash -c 'echo $$ > "$0"; exec "$@"' "$TEND_STATE/$name.pgid" "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null ) &
  for _ in $(seq 1 50); do [ -s "$TEND_STATE/$name.pgid" ] && return 0; sleep 0.1; done
  echo "$name did not start" >&2; return 1
}

# Tend's copy of the kit (test/bench/peers/README.md): the server and worker reach PostgreSQL the
# way `tend start` does, by the URL the embedded stack gives (a Unix socket in its data folder),
# not env.sh's fixed TCP URL.
stack_url() { node -e 'try { const u = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).databaseUrl; if (u) console.log(u); else throw 0; } catch { console.log(process.argv[2]); }' "$TEND_STATE/stack.json" "$DATABASE_URL"; }

for p in "${parts[@]}"; do
  t0=$(now)
  case $p in
    stack)
      rm -f "$TEND_STATE/stack.json"
      echo "=== start $(date -Is) keep=$KEEP" >> "$LOGS/stack.log"
      launch stack node_modules/.bin/tsx "$S/stack.mts"
      for i in $(seq 1 600); do
        [ -s "$TEND_STATE/stack.json" ] && break
        alive stack || { echo "stack exited; see $LOGS/stack.log" >&2; tail -20 "$LOGS/stack.log" >&2; exit 1; }
        sleep 0.2
      done
      [ -s "$TEND_STATE/stack.json" ] || { echo "stack not up after 120 s" >&2; exit 1; }
      echo "tend stack (pgid $(cat "$TEND_STATE/stack.pgid")) ready after $(since "$t0") s: $(cat "$TEND_STATE/stack.json")"
      ;;
    server)
      echo "=== start $(date -Is)" >> "$LOGS/server.log"
      DATABASE_URL=$(stack_url) launch server node_modules/.bin/tsx server/cli.ts server
      for i in $(seq 1 600); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "$TEND_URL/readyz" || true)
        [ "$code" = 200 ] && break
        alive server || { echo "server exited; see $LOGS/server.log" >&2; tail -20 "$LOGS/server.log" >&2; exit 1; }
        sleep 0.2
      done
      [ "$code" = 200 ] || { echo "server not ready after 120 s" >&2; exit 1; }
      echo "tend server (pgid $(cat "$TEND_STATE/server.pgid")) ready after $(since "$t0") s (/readyz 200) on $TEND_URL"
      ;;
    worker)
      echo "=== start $(date -Is)" >> "$LOGS/worker.log"
      before=$(grep -c "Tend worker polling" "$LOGS/worker.log" || true)
      DATABASE_URL=$(stack_url) launch worker node_modules/.bin/tsx server/cli.ts worker
      for i in $(seq 1 600); do
        [ "$(grep -c "Tend worker polling" "$LOGS/worker.log" || true)" -gt "$before" ] && break
        alive worker || { echo "worker exited; see $LOGS/worker.log" >&2; tail -20 "$LOGS/worker.log" >&2; exit 1; }
        sleep 0.2
      done
      echo "tend worker (pgid $(cat "$TEND_STATE/worker.pgid")) polling after $(since "$t0") s"
      ;;
  esac
done
