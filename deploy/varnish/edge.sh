#!/usr/bin/env bash
# `make edge`: the app (make serve) on 127.0.0.1:8000 behind Varnish on 127.0.0.1:8080.
# Both run in the foreground; Ctrl-C or SIGTERM stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/../.."

EDGE_PORT="${EDGE_PORT:-8080}"
APP_PORT="${APP_PORT:-8000}"
work="$(mktemp -d /tmp/levant24-edge.XXXXXX)"
chmod 755 "$work"  # varnishd reads the VCL as its own, unprivileged user
sed "s/\.port = \"8000\";/.port = \"$APP_PORT\";/" deploy/varnish/default.vcl > "$work/default.vcl"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  rm -rf "$work"
}
trap stop INT TERM EXIT

export EDGE_PURGE_BACKEND=varnish
export EDGE_PURGE_URLS="http://127.0.0.1:$EDGE_PORT/"
export GUNICORN_BIND="${GUNICORN_BIND:-127.0.0.1:$APP_PORT}"
make --no-print-directory serve &
pids+=($!)
varnishd -F -n "$work/varnish" -a "127.0.0.1:$EDGE_PORT" -f "$work/default.vcl" -s malloc,256m &
pids+=($!)
echo "edge: http://127.0.0.1:$EDGE_PORT/ (Varnish) -> http://127.0.0.1:$APP_PORT/ (gunicorn)"
wait -n
