#!/usr/bin/env bash
# Three small HTTP backends on 127.0.0.1:9095-9097 (or the ports given) for the examples.
# Each names itself in every response: header X-Echo-Backend and the first line of the body.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/testkit/target/testkit.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
if [ $# -eq 0 ]; then set -- 9095 9096 9097; fi
exec java -cp "$jar" io.edgegate.testkit.EchoBackends "$@"
