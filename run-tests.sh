#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (real Kafka, real Redis, real SDK against the Gemini stand-in)
# and system tests, then scans everything the tests logged for the secret values they configured (API keys, admin
# token, Gemini key): none may appear. Needs only a JDK >= 21 and Maven; no Docker.
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
mvn -B -ntp verify "$@"
bin/scan-secrets.sh
