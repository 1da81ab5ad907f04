#!/usr/bin/env bash
# bench/egctl: how long egctl takes, wall clock, as an operator types it: bin/egctl against the local
# cluster (deploy/local-cluster.sh; started here on ports of its own when none runs, and stopped
# after), the median of N runs of each command. Prints one line per command.
#
#   bench/egctl.sh [--runs N]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
. "$root/bench/lib.sh"
work_folder egctl-bench
if [ ! -f "$root/egctl/target/egctl.jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi

cluster_dir="$root/.local-cluster"
if ! "$root/bin/egctl" get members >/dev/null 2>&1; then
  cluster_dir="$work/cluster"
  take_port cp_port
  take_port admin_port
  export EDGEGATE_CLUSTER_DIR="$cluster_dir" EDGEGATE_CONTROL_PLANE_PORT="$cp_port" EDGEGATE_ADMIN_PORT="$admin_port"
  before_stop() { "$root/deploy/local-cluster.sh" down >/dev/null 2>&1 || true; }
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

printf 'egctl wall time, median of %s runs (%s, %s cores)\n\n' "$runs" "$(java -version 2>&1 | head -1)" "$(nproc)"
printf '| command | seconds |\n|---|---:|\n'
for command in "--version" "get members" "get httppipelines" "describe httppipeline pipeline-reverse-proxy" \
    "apply -f $root/examples/pipeline-reverse-proxy.yaml"; do
  printf '| egctl %s | %s |\n' "${command/$root\//}" "$(median "$root/bin/egctl" $command)"
done
