#!/usr/bin/env bash
# Starts the whole system locally: Kafka (KRaft, in-process), redis-server, the Gemini stand-in (unless
# GEMINI_API_KEY is set), the API on http://localhost:8080 and one worker (WORKERS=N for more).
# Ctrl-C stops everything. Needs only a JDK >= 21 and Maven.
set -euo pipefail
cd "$(dirname "$0")"
source bin/jdk.sh
echo "Building (mvn -DskipTests package)..." >&2
mvn -B -q -ntp -DskipTests package
exec java -jar devstack/target/genpipe-devstack-0.1.0-SNAPSHOT-exec.jar "$@"
