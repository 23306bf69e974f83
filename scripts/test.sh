#!/usr/bin/env bash
# The whole suite (default), or one tier: `unit` (beside the code), `integration`, `e2e` (real kubectl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/host-packages.sh test
[ -d node_modules ] || npm ci --no-audit --no-fund
tier="${1:-all}"
case "$tier" in
  unit) roots=(src scripts bench) ;;
  integration) roots=(test/integration) ;;
  e2e) roots=(test/e2e) ;;
  all) roots=(src scripts bench test) ;;
  *) echo "usage: npm test [-- unit|integration|e2e]" >&2; exit 2 ;;
esac
mapfile -t files < <(find "${roots[@]}" -name '*.test.ts' 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files under ${roots[*]}" >&2; exit 1; fi
# Node 20 does not expand globs in --test, so the files are listed explicitly. Progress goes to the
# terminal in the spec format; a TAP copy gives the closing "N passed, N failed" line.
tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
status=0
node --import tsx --test --test-concurrency=2 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${files[@]}" || status=$?
passed=$(grep -E '^# pass ' "$tap" | tail -1 | awk '{print $3}')
failed=$(grep -E '^# fail ' "$tap" | tail -1 | awk '{print $3}')
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
