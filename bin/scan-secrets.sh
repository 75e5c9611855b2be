#!/usr/bin/env bash
# Fails when a secret the tests configured (system-tests/src/test/resources/test-secrets.txt) appears in any test
# log or report: application logs, child process logs, surefire output and XML reports.
set -euo pipefail
cd "$(dirname "$0")/.."
secrets=system-tests/src/test/resources/test-secrets.txt
mapfile -t logs < <(find . -path '*/target/surefire-reports/*' -type f -o -path './system-tests/target/*.log' -type f)
if [ "${#logs[@]}" -eq 0 ]; then
  echo "secret scan: no test logs found (did the tests run?)" >&2
  exit 1
fi
if grep -l -F -f "$secrets" "${logs[@]}"; then
  echo "secret scan: FAILED — the files above contain a secret value from $secrets" >&2
  exit 1
fi
echo "secret scan: ${#logs[@]} test logs and reports checked, no secret value found"
