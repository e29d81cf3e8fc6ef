# Shared environment for the Tend side of the peer benchmark. Source it: `. env.sh`.
# Everything listens on 127.0.0.1. Paths default under ${TMPDIR:-/tmp}/peer-tend, not under
# $HOME: run as root, Tend's embedded PostgreSQL runs as the user "postgres", which must be
# able to enter every folder above its data directory (a 0700 $HOME is refused).
export TEND_PEER_SCRIPTS=${TEND_PEER_SCRIPTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
export PEER_TEND_DIR=${PEER_TEND_DIR:-${TMPDIR:-/tmp}/peer-tend}          # state, logs, results
# The Tend checkout to measure: the one you stand in (its working tree, installed), else a clone.
if [ -z "${TEND_DIR:-}" ] && _top=$(git rev-parse --show-toplevel 2>/dev/null) && grep -q '"name": "tend"' "$_top/package.json" 2>/dev/null; then
  export TEND_DIR=$_top
fi
export TEND_DIR=${TEND_DIR:-$PEER_TEND_DIR/tend}                           # the Tend checkout (npm installed)
export TEND_SRC=${TEND_SRC:-$(cd "$TEND_PEER_SCRIPTS/../../../.." 2>/dev/null && pwd)}   # what install.sh clones (Tend's copy: the project holding it)
export TEND_DATA_DIR=${TEND_DATA_DIR:-$PEER_TEND_DIR/data}                 # embedded PostgreSQL + Temporal files (fresh per run)
# The n8n peer's folder holds the shared client libraries (undici, smtp-server) and the SMTP sink.
export PEER_DIR=${PEER_DIR:-$HOME/.cache/peer-n8n}
export N8N_PEER_SCRIPTS=${N8N_PEER_SCRIPTS:-$(cd "$TEND_PEER_SCRIPTS/../n8n" && pwd)}
export SMTP_SINK_PORT=${SMTP_SINK_PORT:-2525}
export SMTP_SINK_HTTP_PORT=${SMTP_SINK_HTTP_PORT:-2526}
# Tend's own configuration (see Tend's README, "Configuration")
export TEND_PORT=${TEND_PORT:-3000}
export PORT=$TEND_PORT
export TEND_PG_PORT=${TEND_PG_PORT:-55432}
export TEND_TEMPORAL_PORT=${TEND_TEMPORAL_PORT:-57233}
export TEND_API_KEY=${TEND_API_KEY:-tend_peer_bench_local_only_key_0001}
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:$SMTP_SINK_PORT}
export TEND_MAIL_FROM=${TEND_MAIL_FROM:-Tend <marketing@peer.local>}
export TEND_PUBLIC_URL=${TEND_PUBLIC_URL:-http://127.0.0.1:$TEND_PORT}
export TEMPORAL_CLI_PATH=${TEMPORAL_CLI_PATH:-$HOME/.cache/tend/bin/temporal}
export TEND_SKIP_EDITOR_BUILD=${TEND_SKIP_EDITOR_BUILD:-1}                # the editor is not part of this job
export DATABASE_URL=postgres://tend:tend@127.0.0.1:$TEND_PG_PORT/tend    # what stack.ts starts
export TEMPORAL_ADDRESS=127.0.0.1:$TEND_TEMPORAL_PORT
export TEND_URL=http://127.0.0.1:$TEND_PORT
export TEND_STATE=$PEER_TEND_DIR/state                                    # pid files, program ids
export NO_UPDATE_NOTIFIER=1
# "server=PID,worker=PID,postgres=PID,temporal=PID" for bench.js --pids: the server and worker
# process groups' leaders (tsx, whose child is the Tend node process), the postmaster (its
# backends are its children) and the Temporal dev server; not stack.mts's own node process.
tend_pids() {
  local s w; s=$(cat "$TEND_STATE/server.pgid" 2>/dev/null); w=$(cat "$TEND_STATE/worker.pgid" 2>/dev/null)
  node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
    console.log(`server=${process.argv[2]},worker=${process.argv[3]},postgres=${j.postgres},temporal=${j.temporal}`)' \
    "$TEND_STATE/stack.json" "$s" "$w"
}
