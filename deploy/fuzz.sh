#!/usr/bin/env bash
# Fuzzes every fuzz target (Jazzer) for its maxDuration (10 minutes each), one after the other.
# The seed corpus of each target also runs as a regression test in `mvn -B verify`; a finding
# is written next to the seeds (src/test/resources/.../<Test>Inputs/<method>/crash-*) and fails
# this script. Usage: deploy/fuzz.sh [TestClass ...]   (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(api-proto:ObjectDecoderFuzzTest data-plane:HttpHeadFuzzTest data-plane:CredentialParsersFuzzTest)
fi
mvn -B -q install -DskipTests
status=0
for target in "${targets[@]}"; do
  module=${target%%:*}
  test=${target#*:}
  echo "== fuzzing $test in $module"
  if ! (cd "$module" && JAZZER_FUZZ=1 mvn -B -o test -Dunit.argLine= -Djazzer.hooks=true -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false); then
    echo "== $test found something: see $module/src/test/resources/**/${test}Inputs/" >&2
    status=1
  fi
done
exit $status
