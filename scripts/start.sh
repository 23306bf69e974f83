#!/usr/bin/env bash
# `npm start`: install what is missing, then run a single-node Minato cluster on 127.0.0.1 (API server,
# controllers, scheduler and — as root — the node agent running pods as runc containers).
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${MINATO_DATA_DIR:-.minato/server}"
agent_args=()
scripts/host-packages.sh runtime
[ -d node_modules ] || npm ci --no-audit --no-fund
if [ "$(id -u)" = 0 ]; then
  # The example image, built from this machine's busybox-static (no registry needed).
  if ! node bin/minato.js image list --data-dir "$data_dir/agent" | grep -q '^minato.local/busybox:1 '; then
    layout="$(mktemp -d)"
    node bin/minato.js image build-base busybox -o "$layout/busybox" >/dev/null
    node bin/minato.js image import "$layout/busybox" --data-dir "$data_dir/agent" >/dev/null
    rm -rf "$layout"
  fi
else
  echo "not root: running without the node agent (pods stay Pending); run as root for a working single-node cluster" >&2
  agent_args=(--disable-agent)
fi

try_it() {
  local kc="$data_dir/admin.kubeconfig"
  cat <<TRY

Try it (see examples/README.md):
  export KUBECONFIG=$kc
  kubectl apply -f examples/hello.yaml
  kubectl rollout status deployment/hello
  kubectl get pods -o wide
  curl http://\$(kubectl get svc hello -o jsonpath='{.status.loadBalancer.ingress[0].ip}')/cgi-bin/whoami
TRY
}

# The last line the server prints once it is ready.
ready_marker='  node:'
[ "${#agent_args[@]}" -eq 0 ] || ready_marker='  try:'
# The server's own lines first, then the "try it" once it is ready; signals go to the server.
node bin/minato.js server --data-dir "$data_dir" --port "${MINATO_PORT:-6443}" ${agent_args[@]+"${agent_args[@]}"} "$@" \
  > >(while IFS= read -r line; do
        printf '%s\n' "$line"
        case "$line" in "$ready_marker"*) try_it ;; esac
      done) &
server=$!
trap 'kill -TERM "$server" 2>/dev/null' INT TERM
wait "$server" || wait "$server"
