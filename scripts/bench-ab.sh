#!/bin/bash
# Interleaved before/after: runs one yibao command from two builds alternately, N times each, and prints wall time,
# CPU (user+sys), peak RSS and the 1-minute load before each run; then whether the last two --json outputs are equal.
#
#   scripts/bench-ab.sh BEFORE_DIR AFTER_DIR N -- settle bench-data/scenario-1000000-s1-drg-heavy-csv.yaml --quiet --no-progress
#
# BEFORE_DIR/AFTER_DIR are checkouts with a build (e.g. `git worktree add /tmp/base 1101c79 && (cd /tmp/base && npm ci
# && npm run build)`). The command gets `--json /tmp/yibao-ab-{before,after}.json` appended.
set -euo pipefail
before=$1; after=$2; n=$3; shift 3
[ "${1:-}" = "--" ] && shift
for i in $(seq "$n"); do
  for side in before after; do
    dir=$before; [ "$side" = after ] && dir=$after
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U %S %M" -o /tmp/yibao-ab.time node "$dir/bin/yibao.js" "$@" --json "/tmp/yibao-ab-$side.json" >/dev/null 2>&1
    read -r wall user sys rss < /tmp/yibao-ab.time
    printf '%-6s load %s  wall %ss  cpu %ss  rss %d MB\n' "$side" "$load" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024))
  done
done
if cmp -s /tmp/yibao-ab-before.json /tmp/yibao-ab-after.json; then echo "JSON identical"; else echo "JSON DIFFERS"; fi
