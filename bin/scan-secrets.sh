#!/usr/bin/env bash
# Fails when a secret that a test configures appears in any test log or report (application logs, child process
# logs, surefire output and XML reports of every module). The secrets are listed in
# system-tests/src/test/resources/test-secrets.txt; so that the list cannot fall behind, every literal secret in the
# test sources — a constant named *TOKEN*/*KEY*/*SECRET*/*PASSWORD*, or a value of admin-token=, api-key=,
# idempotency-secret=, redis-password= — must be on it (tokens a test draws at random cannot be listed, or leaked by
# a build before it).
set -euo pipefail
cd "$(dirname "$0")/.."
secrets=system-tests/src/test/resources/test-secrets.txt
mapfile -t literals < <( {
  grep -rhoE '(admin-token|api-key|idempotency-secret|redis-password)=[A-Za-z0-9._-]{6,}' --include='*.java' \
    ./*/src/test | sed 's/^[^=]*=//'
  grep -rhoE '\b[A-Z_]*(TOKEN|KEY|SECRET|PASSWORD)[A-Z_]* = "[^"]{6,}"' --include='*.java' ./*/src/test \
    | sed 's/^[^"]*"//; s/"$//'
} | sort -u)
unlisted=()
for literal in "${literals[@]}"; do
  grep -qxF -- "$literal" "$secrets" || unlisted+=("$literal")
done
if [ "${#unlisted[@]}" -gt 0 ]; then
  echo "secret scan: FAILED — these secrets are configured by tests but missing from $secrets:" >&2
  printf '  %s\n' "${unlisted[@]}" >&2
  exit 1
fi
mapfile -t logs < <(find . -path '*/target/surefire-reports/*' -type f -o -path '*/target/*.log' -type f)
if [ "${#logs[@]}" -eq 0 ]; then
  echo "secret scan: no test logs found (did the tests run?)" >&2
  exit 1
fi
if grep -l -F -f "$secrets" "${logs[@]}"; then
  echo "secret scan: FAILED — the files above contain a secret value from $secrets" >&2
  exit 1
fi
echo "secret scan: ${#logs[@]} test logs and reports checked for $(grep -c . "$secrets") secrets (${#literals[@]} found in the test sources, all listed), none found"
