#!/usr/bin/env bash
# The GenPipe benchmark: builds, starts the system as the local run does (the Kafka broker as a JVM of its own,
# redis-server, the Gemini stand-in, the API, the workers) plus a BullMQ worker on Node against the same Redis and
# stand-in, and writes docs/benchmarks.md (and prints it). In one run, side by side with BullMQ: open-loop load at
# 50 jobs/s, 0.8 and 1.2 x C/L (throughput, submit/end-to-end/overhead percentiles, lost and duplicate jobs); CPU ms
# per job of every process (API, workers, broker, redis-server, BullMQ worker) and of all GenPipe processes together;
# GenPipe's Kafka records, bytes and offset commits per job (broker end offsets and log sizes); each process's idle
# CPU; a cold start (warm-start caches trained, fresh API and worker JVMs without and with the AOT/CDS cache, then
# 0.3 x C/L for 60 s right after readiness); GenPipe alone (cache hits, a presentation, raw submit throughput); the
# issue's targets, met or not. About 11 minutes on 2 cores. Needs a JDK >= 21, Maven, Node.js 18+ and npm.
# Options go to the harness:
#   --profile              also record the API and workers with JFR and report where their CPU time goes
#   --concurrency N  --latency-ms N  --workers N  --loads 50/s,0.8,1.2  --prime-s N  --idle-s N  --warmup-s N
#   --duration-s N  --cold-start-s N  --heap 512m  --out FILE
# Environment: GENPIPE_BENCH_JVM_FLAGS="-XX:+UseSerialGC ..." adds JVM flags to the API, the workers and the broker
# (to try a GC or JIT setting; the report's machine section does not list them, so name them where you quote it).
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
