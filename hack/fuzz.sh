#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Coverage-guided fuzzing of every *FuzzTest target (docs/reliability.md, "Fuzzing").
#
#   hack/fuzz.sh [rounds=1] [target...]
#
# Jazzer fuzzes one target per JVM, each for the maxDuration its @FuzzTest names (60 s), so this
# runs one Maven test JVM per target and round. A round resumes from the corpus the previous one
# generated (.cifuzz-corpus/, not committed), so N rounds fuzz a target for about N minutes. A
# finding is written as crash-<sha1> next to the target's regression inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/) and fails the run; commit it with the fix,
# and plain `mvn test` replays it from then on. Prints executions per target; exits non-zero on any
# finding. Needs a prior `mvn -B test-compile` (or any build) of this tree.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-1}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    'CniRequestFuzzTest'
    'CoreParsersFuzzTest#annotationParsers'
    'CoreParsersFuzzTest#jsonReader'
    'CoreParsersFuzzTest#addressesCidrsAndRanges'
    'AgentRequestFuzzTest'
    'AdmissionReviewFuzzTest'
  )
fi

logs="target/fuzz-logs"
mkdir -p "$logs"
failed=0
for ((round = 1; round <= rounds; round++)); do
  for t in "${targets[@]}"; do
    log="$logs/$(echo "$t" | tr '#' '-')-round$round.log"
    start=$(date +%s)
    if JAZZER_FUZZ=1 mvn -B -o -q test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
      verdict=ok
    else
      verdict="FINDING or failure (see $log)"
      failed=1
    fi
    runs=$(grep -Eo '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
    echo "fuzz $t round $round: ${runs:-no libFuzzer summary} ($(($(date +%s) - start)) s wall) $verdict"
  done
done
exit "$failed"
