#!/usr/bin/env bash
# bench/memory: how much memory EdgeGate holds where a user meets it, and how soon a restarted
# node serves. Starts the local cluster
# (deploy/local-cluster.sh: etcd, a control plane, three data planes, the example config, default
# launchers) in a folder of its own, then reports the resident memory (RSS) of each process at
# idle, of node-1 holding 10,000 idle keep-alive connections (opened from bench/HoldConnections.java,
# each after one proxied request), and under load (wrk -t2 -c64), and per idle connection; then
# restarts node-1 with its launcher and reports the time from the launch to its first proxied answer,
# and its requests/s in four 5 s windows of load from then on (warm-up: the first against the best).
# Needs the ports the local cluster uses (2381, 9095-9097, 9900-9901, 10080 on 127.0.0.2-4).
#
#   bench/memory.sh [--connections N] [--idle SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
connections=10000
idle=20
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v wrk >/dev/null 2>&1 || {
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
}

export EDGEGATE_CLUSTER_DIR
EDGEGATE_CLUSTER_DIR=$(mktemp -d /tmp/edgegate-memory.XXXXXX)
holder_in=""
cleanup() {
  [ -n "$holder_in" ] && exec {holder_in}>&- 2>/dev/null || true
  "$root/deploy/local-cluster.sh" down >/dev/null 2>&1 || true
  rm -rf "$EDGEGATE_CLUSTER_DIR"
}
trap cleanup EXIT
"$root/deploy/local-cluster.sh" up >/dev/null

pid_of() { cat "$EDGEGATE_CLUSTER_DIR/pids/$1"; }
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
node1=$(pid_of node-1)

sleep "$idle"
printf '\nEdgeGate on %s cores, %s, local cluster with the example config and default launchers\n\n' \
  "$(nproc)" "$(java -version 2>&1 | head -1)"
printf '| process | RSS at idle (%s s after start) |\n|---|---:|\n' "$idle"
for name in etcd control-plane node-1 node-2 node-3; do
  printf '| %s | %s MB |\n' "$name" "$(rss_mb "$(pid_of "$name")")"
done

before=$(rss_kb "$node1")
coproc HOLDER { java -Xss256k "$root/bench/HoldConnections.java" 127.0.0.2 10080 /pipeline "$connections"; }
holder_in=${HOLDER[1]}
read -r line <&"${HOLDER[0]}" || { echo "the connection holder failed" >&2; exit 1; }
echo "$line" | grep -q '^holding' || { echo "$line" >&2; exit 1; }
sleep 5
held=$(rss_kb "$node1")
printf '\nnode-1 with %s idle keep-alive connections: %s MB (%s KB per connection beyond idle)\n' \
  "$connections" "$((held / 1024))" "$(awk -v a="$held" -v b="$before" -v n="$connections" 'BEGIN { printf "%.1f", (a - b) / n }')"
exec {holder_in}>&-
holder_in=""
wait "$HOLDER_PID" 2>/dev/null || true

wrk -t2 -c64 -d15s http://127.0.0.2:10080/pipeline >"$EDGEGATE_CLUSTER_DIR/wrk.txt" &
wrk_pid=$!
sleep 12
loaded=$(rss_mb "$node1")
wait "$wrk_pid"
printf 'node-1 under load (wrk -t2 -c64, %s req/s): %s MB\n' \
  "$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$EDGEGATE_CLUSTER_DIR/wrk.txt")" "$loaded"
# The launcher's periodic collection (after 30 s without one) hands the heap the load grew back.
sleep 45
printf 'node-1 45 s after the load: %s MB\n' "$(rss_mb "$node1")"

# Start-up: node-1 again, from the same launcher, with the same arguments (its last-good file is there).
args=$(tr '\0' '\n' <"/proc/$node1/cmdline" | awk 'seen { print } $0 ~ /data-plane\.jar$/ { seen = 1 }')
kill "$node1"
while kill -0 "$node1" 2>/dev/null; do sleep 0.05; done
answers() {
  local reply
  reply=$( (exec 3<>/dev/tcp/127.0.0.2/10080 && printf 'GET /pipeline HTTP/1.0\r\n\r\n' >&3 && head -n1 <&3) 2>/dev/null || true)
  [[ "$reply" == *" 200 "* ]]
}
started=$(date +%s%N)
# shellcheck disable=SC2086
setsid nohup "$root/bin/data-plane" $(echo "$args" | tr '\n' ' ') >"$EDGEGATE_CLUSTER_DIR/logs/node-1.restart.log" 2>&1 </dev/null &
echo $! >"$EDGEGATE_CLUSTER_DIR/pids/node-1"
until answers; do sleep 0.01; done
printf 'node-1 restarted: first proxied answer %s ms after the launch\n' "$(( ($(date +%s%N) - started) / 1000000 ))"
windows=()
for w in 1 2 3 4; do
  windows+=("$(wrk -t2 -c64 -d5s http://127.0.0.2:10080/pipeline | awk '/^Requests\/sec/ { printf "%.0f", $2 }')")
done
printf 'node-1 after the restart, req/s in 5 s windows of load: %s (first / best: %s)\n' "${windows[*]}" \
  "$(printf '%s\n' "${windows[@]}" | awk 'NR == 1 { first = $1 } $1 > best { best = $1 } END { printf "%.2f", first / best }')"
