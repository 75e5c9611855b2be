#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (real Kafka, real Redis, real SDK against the Gemini stand-in),
# system, browser (headless Chromium) and benchmark-harness tests, then scans everything the tests logged for the
# secret values they configured (API keys, admin token, Gemini key): none may appear.
# Needs a JDK >= 21 and Maven; prepares the rest by itself (bin/prepare-tests.sh: Debian's chromium, docker-compose,
# promtool, kubectl, Node.js and npm when run as root, the npm packages of console-tests and bench/bullmq), or stops
# naming the command that installs what is missing. No Docker.
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
source bin/prepare-tests.sh
if ! mvn -B -ntp verify "$@"; then
  bin/test-failures.sh
  exit 1
fi
bin/scan-secrets.sh
