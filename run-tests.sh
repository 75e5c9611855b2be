#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (real Kafka, real Redis, real SDK against the Gemini stand-in)
# and system tests. Needs only a JDK >= 21 and Maven; no Docker.
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
exec mvn -B -ntp verify "$@"
