#!/usr/bin/env bash
# The GenPipe benchmark: builds, starts the system as the local run does (Kafka, redis-server, the Gemini stand-in,
# the API, the workers) plus a BullMQ worker on Node against the same Redis and stand-in, drives both with open-loop
# load, measures GenPipe alone (cache hit, presentation, raw submit throughput), writes docs/benchmarks.md and prints
# it. About 8 minutes on 2 cores. Needs a JDK >= 21, Maven, Node.js 18+ and npm. Options go to the harness:
#   --profile              also record the API and workers with JFR and report where their CPU time goes
#   --concurrency N  --latency-ms N  --workers N  --loads 0.8,1.2  --warmup-s N  --duration-s N  --out FILE
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: the benchmark's BullMQ side needs Node.js 18+ and npm (e.g. 'apt-get install nodejs npm')." >&2
  exit 1
fi
echo "Installing the BullMQ side's packages (npm ci --prefix bench/bullmq)..." >&2
npm ci --prefix bench/bullmq --no-audit --no-fund --loglevel=error >&2
echo "Building (mvn -DskipTests install)..." >&2
mvn -B -q -ntp -DskipTests install
exec java -jar bench/target/genpipe-bench-0.1.0-SNAPSHOT-exec.jar "$@"
