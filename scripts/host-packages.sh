#!/usr/bin/env bash
# Debian packages Minato needs on the host, in one place: `runtime` for running a node (npm start),
# `test` adds what the test suite drives (a registry, skopeo/umoci, htpasswd, Prometheus), `bench`
# adds the load generator and the reference proxy of the benchmarks (wrk, nginx with its stream module).
# Usage: scripts/host-packages.sh runtime|test|bench — installs what is missing; only as root with apt-get.
set -euo pipefail
runtime=(etcd-server runc conmon containernetworking-plugins iptables nftables iproute2 busybox-static util-linux conntrack)
test=("${runtime[@]}" skopeo docker-registry umoci apache2-utils prometheus)
bench=("${test[@]}" wrk nginx libnginx-mod-stream)
case "${1:-}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${test[@]}") ;;
  bench) wanted=("${bench[@]}") ;;
  *) echo "usage: $0 runtime|test|bench" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "not root or no apt-get: not installing ${wanted[*]}" >&2
  exit 0
fi
missing=()
for pkg in "${wanted[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# No recommends: Prometheus would otherwise pull in (and on a systemd machine start) node-exporter.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
