'use strict';
// Open-loop load generator and measurer of the BullMQ side of the GenPipe benchmark. Adds unique SUBTOPICS jobs at a
// fixed arrival rate (warm-up first, then the measured window), times each `queue.add` and the `completed` event
// from QueueEvents, waits for the stragglers (bounded), writes every job's timings to a JSON file and prints one
// summary JSON line. It always ends by itself: arrivals are bounded in count, the drain in time, and a hard limit
// ends the process whatever happens.
//
// Usage: node load.js '{"redisHost":"127.0.0.1","redisPort":6379,"queue":"genpipe-bench","rate":256,
//   "warmupS":5,"durationS":30,"drainTimeoutS":60,"runId":"r1","count":5,"out":"/tmp/bullmq-r1.json"}'
//
// Times are milliseconds since the first arrival. Each job: [intended arrival, add sent, add resolved, first
// completed event, completed events, failed events, add error (0/1)], -1 where something did not happen.
const fs = require('node:fs');
const { Queue, QueueEvents } = require('bullmq');

const config = JSON.parse(process.argv[2] || '{}');
const connection = { host: config.redisHost || '127.0.0.1', port: Number(config.redisPort || 6379),
  maxRetriesPerRequest: null };
const rate = Number(config.rate);
const warmupS = Number(config.warmupS ?? 0);
const durationS = Number(config.durationS);
const drainTimeoutS = Number(config.drainTimeoutS ?? 60);
const count = Number(config.count ?? 5);
const runId = String(config.runId || Date.now());
if (!(rate > 0) || !(durationS > 0) || !config.out) {
  process.stderr.write('usage: node load.js \'{"rate":N,"durationS":N,"out":"file",...}\'\n');
  process.exit(2);
}
const hardLimit = setTimeout(() => {
  process.stdout.write(JSON.stringify({ event: 'error', message: 'hard time limit reached' }) + '\n');
  process.exit(3);
}, (warmupS + durationS + drainTimeoutS + 30) * 1000);
hardLimit.unref();

const total = Math.floor((warmupS + durationS) * rate);
const jobs = new Array(total);
const byId = new Map();
let origin = 0n;
const elapsed = () => Number(process.hrtime.bigint() - origin) / 1e6;
const arrival = (i) => (i * 1000) / rate;

async function main() {
  const queue = new Queue(config.queue || 'genpipe-bench', { connection });
  const events = new QueueEvents(config.queue || 'genpipe-bench', { connection });
  events.on('completed', ({ jobId }) => {
    const job = byId.get(jobId);
    if (job) {
      if (job[3] < 0) job[3] = elapsed();
      job[4] += 1;
    }
  });
  events.on('failed', ({ jobId }) => {
    const job = byId.get(jobId);
    if (job) job[5] += 1;
  });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the events reader block on the stream

  let pending = 0;
  const fire = (i) => {
    const id = `${runId}-${i}`;
    const job = [arrival(i), elapsed(), -1, -1, 0, 0, 0];
    jobs[i] = job;
    byId.set(id, job);
    pending += 1;
    queue.add('subtopics', { topic: `bench ${runId} topic ${i}`, count }, { jobId: id, removeOnComplete: true,
      removeOnFail: 1000 })
      .then(() => { job[2] = elapsed(); })
      .catch(() => { job[6] = 1; })
      .finally(() => { pending -= 1; });
  };

  origin = process.hrtime.bigint();
  await new Promise((resolve) => {
    let next = 0;
    const tick = () => {
      const now = elapsed();
      while (next < total && arrival(next) <= now) fire(next++);
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, arrival(next) - elapsed()));
    };
    tick();
  });
  const arrivalsEnd = elapsed();
  const finished = () => pending === 0 && jobs.every((j) => j[6] === 1 || j[4] > 0 || j[5] > 0);
  while (!finished() && elapsed() - arrivalsEnd < drainTimeoutS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show up here
  const usage = process.resourceUsage();
  const result = { runId, rate, warmupS, durationS, total, windowStartMs: warmupS * 1000,
    windowEndMs: (warmupS + durationS) * 1000, arrivalsEndMs: arrivalsEnd,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssKb: usage.maxRSS, jobs };
  fs.writeFileSync(config.out, JSON.stringify(result));
  const completed = jobs.filter((j) => j[4] > 0).length;
  process.stdout.write(JSON.stringify({ event: 'done', total, completed, out: config.out }) + '\n');
  await Promise.allSettled([events.close(), queue.close()]);
}

main().then(() => process.exit(0), (error) => {
  process.stdout.write(JSON.stringify({ event: 'error', message: String(error?.stack ?? error) }) + '\n');
  process.exit(1);
});
