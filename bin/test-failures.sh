#!/usr/bin/env bash
# After a failed build: prints, for every test class that failed, errored or never finished (its JVM was ended by
# the fork timeout, so it has output but no XML report), the end of what it logged — the cause, and the thread dump
# a JUnit timeout writes. The tests' output goes to files (surefire's redirectTestOutputToFile); without this a CI
# log shows only Maven's lines.
set -uo pipefail
cd "$(dirname "$0")/.."
lines="${GENPIPE_FAILURE_LINES:-400}"
for output in $(find . -path '*/target/surefire-reports/*-output.txt' -type f | sort); do
  dir=$(dirname "$output")
  class=$(basename "$output" -output.txt)
  report="$dir/TEST-$class.xml"
  if [ -f "$report" ] && ! grep -qE '<(failure|error)[ >]' "$report"; then
    continue
  fi
  state=$([ -f "$report" ] && echo "failed" || echo "did not finish")
  # the in-process Kafka broker logs most lines; its loggers are left out of both views below
  broker='\] (kafka\.|state\.change\.logger|o\.a\.k\.(controller|image|metadata|raft|server|storage|coordinator)|org\.apache\.kafka\.(controller|image|metadata|raft|server|storage|coordinator)|lientQuotaManager)'
  echo "=================== $class ($state): its WARN and ERROR lines (first 150), broker lines left out"
  grep -E ' (WARN|ERROR) ' "$output" | grep -vE "$broker" | head -n 150
  echo "=================== $class ($state): last $lines lines of $output, broker lines left out"
  grep -vE "$broker" "$output" | tail -n "$lines"
done
for dump in $(find . -path '*/target/surefire-reports/*' \( -name '*.dump' -o -name '*.dumpstream' \) -type f | sort); do
  echo "=================== $dump"
  tail -n 50 "$dump"
done
