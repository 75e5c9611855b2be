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
  echo "=================== $class ($state): last $lines lines of $output"
  tail -n "$lines" "$output"
done
for dump in $(find . -path '*/target/surefire-reports/*' \( -name '*.dump' -o -name '*.dumpstream' \) -type f | sort); do
  echo "=================== $dump"
  tail -n 50 "$dump"
done
