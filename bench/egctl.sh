#!/usr/bin/env bash
# bench/egctl: how long egctl takes, wall clock, as an operator types it: bin/egctl against the local
# cluster (deploy/local-cluster.sh; started here on ports of its own when none runs, and stopped
# after), the median of N runs of each command: each call on its own JVM (EGCTL_DAEMON=off), and
# answered by egctl's daemon (started by a first call, then warmed by one more; stopped after).
# Prints one line per command.
#
#   bench/egctl.sh [--runs N]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
. "$root/bench/lib.sh"
work_folder egctl-bench
# A daemon of this run's own, so a user's daemon is neither used nor stopped.
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_RUNTIME_DIR"
if [ ! -f "$root/egctl/target/egctl.jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi

cluster_dir="$root/.local-cluster"
cluster_started=0
if ! "$root/bin/egctl" get members >/dev/null 2>&1; then
  cluster_dir="$work/cluster"
  take_port cp_port
  take_port admin_port
  export EDGEGATE_CLUSTER_DIR="$cluster_dir" EDGEGATE_CONTROL_PLANE_PORT="$cp_port" EDGEGATE_ADMIN_PORT="$admin_port"
  cluster_started=1
  "$root/deploy/local-cluster.sh" up --data-planes 3 >"$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
fi

median() { # command... -> the median wall time in seconds of $runs runs
  local times=() i start end
  for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m / 1000 }'
}

before_stop() {
  "$root/bin/egctl" daemon stop >/dev/null 2>&1 || true
  if [ $cluster_started -eq 1 ]; then
    "$root/deploy/local-cluster.sh" down >/dev/null 2>&1 || true
  fi
}

printf 'egctl wall time, median of %s runs (%s, %s cores)\n\n' "$runs" "$(java -version 2>&1 | head -1)" "$(nproc)"
printf '| command | own JVM (EGCTL_DAEMON=off) | daemon |\n|---|---:|---:|\n'
commands=("--version" "get members" "get httppipelines" "describe httppipeline pipeline-reverse-proxy"
  "apply -f $root/examples/pipeline-reverse-proxy.yaml")
for command in "${commands[@]}"; do
  # shellcheck disable=SC2086
  own=$(EGCTL_DAEMON=off median "$root/bin/egctl" $command)
  # shellcheck disable=SC2086
  "$root/bin/egctl" $command >/dev/null 2>&1 || true
  deadline=$((SECONDS + 30))
  until [ -s "$XDG_RUNTIME_DIR/edgegate/egctl-daemon" ] || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
  # shellcheck disable=SC2086
  "$root/bin/egctl" $command >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  printf '| egctl %s | %s | %s |\n' "${command/$root\//}" "$own" "$(median "$root/bin/egctl" $command)"
done
