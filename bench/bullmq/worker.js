'use strict';
// BullMQ worker of the GenPipe benchmark: takes SUBTOPICS jobs from a queue in Redis and calls the Gemini stand-in
// over HTTP, at most CONCURRENCY jobs at once. Prints one JSON line {"event":"ready"} when it listens, and ends by
// itself on SIGTERM/SIGINT, when its standard input closes (the harness is gone) or after MAX_LIFETIME_S.
//
// Environment: REDIS_HOST (127.0.0.1), REDIS_PORT (6379), QUEUE (genpipe-bench), CONCURRENCY (64),
// STANDIN_URL (required), GEMINI_MODEL (gemini-2.5-flash), GEMINI_API_KEY (bench), CALL_TIMEOUT_MS (30000),
// MAX_LIFETIME_S (3600).
const { Worker } = require('bullmq');
const { generateSubtopics } = require('./gemini');

const env = process.env;
const settings = {
  redis: { host: env.REDIS_HOST || '127.0.0.1', port: Number(env.REDIS_PORT || 6379), maxRetriesPerRequest: null },
  queue: env.QUEUE || 'genpipe-bench',
  concurrency: Number(env.CONCURRENCY || 64),
  gemini: {
    baseUrl: env.STANDIN_URL,
    model: env.GEMINI_MODEL || 'gemini-2.5-flash',
    apiKey: env.GEMINI_API_KEY || 'bench',
    timeoutMs: Number(env.CALL_TIMEOUT_MS || 30000),
  },
  maxLifetimeS: Number(env.MAX_LIFETIME_S || 3600),
};

function say(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

if (!settings.gemini.baseUrl) {
  say({ event: 'error', message: 'STANDIN_URL is required' });
  process.exit(2);
}

const worker = new Worker(settings.queue,
  async (job) => generateSubtopics(settings.gemini, job.data.topic, job.data.count ?? 5),
  { connection: settings.redis, concurrency: settings.concurrency, autorun: true });

let failures = 0;
worker.on('failed', (job, error) => {
  failures += 1;
  if (failures <= 5) {
    say({ event: 'failed', jobId: job?.id, message: String(error?.message ?? error) });
  }
});
worker.on('error', (error) => say({ event: 'error', message: String(error?.message ?? error) }));

let closing = false;
async function shutdown(why) {
  if (closing) return;
  closing = true;
  say({ event: 'stopping', why });
  const force = setTimeout(() => process.exit(0), 10000);
  force.unref();
  try {
    await worker.close();
  } finally {
    process.exit(0);
  }
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
if (process.argv.includes('--watch-stdin')) {
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.on('error', () => shutdown('stdin error'));
  process.stdin.resume();
}
setTimeout(() => shutdown('max lifetime reached'), settings.maxLifetimeS * 1000).unref();

worker.waitUntilReady()
  .then(() => say({ event: 'ready', pid: process.pid, queue: settings.queue, concurrency: settings.concurrency }))
  .catch((error) => {
    say({ event: 'error', message: `cannot reach Redis: ${error?.message ?? error}` });
    process.exit(1);
  });
