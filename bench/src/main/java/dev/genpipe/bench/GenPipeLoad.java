package dev.genpipe.bench;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Open-loop load on GenPipe: a clock thread starts one virtual thread per scheduled arrival (never waiting for earlier
 * jobs), which submits a unique SUBTOPICS job, records the 202, and waits for the job's terminal event on the client's
 * one stream of all its jobs ({@code GET /api/jobs/events}, opened before the first arrival, as BullMQ's side listens
 * on one QueueEvents). Arrivals are bounded by count; the drain by {@code drainTimeoutS}, after which the stream is
 * closed.
 */
final class GenPipeLoad {

    private final GenPipeClient client;
    private final TerminalEvents terminalEvents;
    private final Consumer<String> log;

    GenPipeLoad(GenPipeClient client, TerminalEvents terminalEvents, Consumer<String> log) {
        this.client = client;
        this.terminalEvents = terminalEvents;
        this.log = log;
    }

    RunTimings run(String runId, String load, double rate, int warmupS, int durationS, int drainTimeoutS)
            throws InterruptedException {
        int total = (int) Math.floor((warmupS + durationS) * rate);
        List<JobTiming> jobs = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            jobs.add(new JobTiming(i, i * 1000.0 / rate));
        }
        CountDownLatch finished = new CountDownLatch(total);
        GenPipeClient.AllJobs all;
        try {
            all = client.followAll();
        } catch (IOException e) {
            throw new IllegalStateException("GenPipe run " + runId + ": cannot open the stream of all jobs", e);
        }
        long origin = System.nanoTime() + 20_000_000L;
        for (JobTiming job : jobs) {
            long target = origin + (long) (job.arrivalMs * 1_000_000L);
            for (long wait = target - System.nanoTime(); wait > 0; wait = target - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            Thread.ofVirtual().name("genpipe-job-" + job.index).start(() -> {
                try {
                    one(runId, job, origin, all);
                } finally {
                    finished.countDown();
                }
            });
        }
        if (!finished.await(drainTimeoutS, TimeUnit.SECONDS)) {
            log.accept(String.format(Locale.ROOT, "GenPipe run %s: %d jobs still open after the %d s drain; closing "
                    + "their streams (they count as lost)", runId, finished.getCount(), drainTimeoutS));
            all.close();
            finished.await(15, TimeUnit.SECONDS);
        }
        all.close();
        Thread.sleep(500); // terminal events written twice would be on the topic by now
        for (JobTiming job : jobs) {
            if (job.jobId != null) {
                int terminal = terminalEvents.count(job.jobId);
                job.completions = Math.max(job.doneMs >= 0 ? 1 : 0, terminal);
                job.completedUnseen = job.doneMs < 0 && terminal > 0;
            }
        }
        return new RunTimings("GenPipe", load, rate, warmupS * 1000.0, (warmupS + durationS) * 1000.0, jobs);
    }

    private void one(String runId, JobTiming job, long origin, GenPipeClient.AllJobs all) {
        String body = "{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"bench " + runId + " topic " + job.index
                + "\",\"count\":5}}";
        try {
            job.sentAtMicros = GenPipeClient.micros(Instant.now());
            job.sentMs = (System.nanoTime() - origin) / 1e6;
            GenPipeClient.Submitted submitted = client.submit(body);
            long acked = System.nanoTime();
            if (!submitted.accepted()) {
                job.submitError = true;
                return;
            }
            job.ackMs = (acked - origin) / 1e6;
            job.jobId = submitted.jobId();
            // the drain's end closes the stream, which ends this wait
            GenPipeClient.Outcome outcome = all.await(submitted.jobId(), java.time.Duration.ofHours(1));
            if (outcome == null || outcome.terminal() == null) {
                return; // lost: no terminal event before the drain ended
            }
            job.doneMs = (outcome.notifiedNanos() - origin) / 1e6;
            job.failed = !outcome.terminal().equals("succeeded");
            job.cached = outcome.cached();
            job.queuedAtMicros = outcome.eventAtMicros().getOrDefault("queued", -1L);
            job.startedAtMicros = outcome.eventAtMicros().getOrDefault("started", -1L);
            job.succeededAtMicros = outcome.eventAtMicros().getOrDefault("succeeded", -1L);
            job.notifiedAtMicros = outcome.notifiedAtMicros();
        } catch (IOException e) {
            if (job.ackMs < 0) {
                job.submitError = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
