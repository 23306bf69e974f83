#!/usr/bin/env bash
# `npm start`: install what is missing, then run a single-node Minato control plane on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for pkg in etcd-server runc conmon containernetworking-plugins iptables nftables iproute2 busybox-static; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node bin/minato.js server --data-dir "${MINATO_DATA_DIR:-.minato/server}" --port "${MINATO_PORT:-6443}" "$@"
