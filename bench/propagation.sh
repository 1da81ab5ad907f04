#!/usr/bin/env bash
# bench/propagation: p50/p99/max delay from apply to each node's ACK, for real data planes and
# for simulated streams against one control plane. Builds what it needs; installs etcd if missing.
#   bench/propagation.sh [--real 3,10] [--simulated 1000,5000] [--applies 30] [--warmup 10] [--tls auto|openssl|jdk]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
"$root/deploy/ensure-etcd.sh"
if [ ! -f "$root/bench/target/bench.jar" ] || [ ! -f "$root/data-plane/target/data-plane.jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi
cd "$root"
exec java -cp "$root/bench/target/bench.jar" io.edgegate.bench.PropagationBench "$@"
