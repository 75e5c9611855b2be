package dev.genpipe.worker.processing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import dev.genpipe.worker.breaker.GeminiBreakers;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * The worker's consumption loop: one Kafka consumer, many jobs in flight.
 *
 * <p>Records are handed to virtual threads as they arrive, up to {@code maxInFlight} at once, whatever the number of
 * partitions; records beyond the bound wait in a small backlog while consumption is paused. Completions come back
 * out of order; per partition only the offset below the lowest unfinished record is committed, so a crash
 * re-delivers every unfinished job and skips none. All consumer calls happen on the loop thread.
 *
 * <p>It reads both lanes' topics ({@link Lanes}): a free place goes to an interactive record first, bulk keeps its
 * reserved share while it waits, and a lane with records waiting is paused.
 *
 * <p>The circuit breakers set how many jobs may be in flight: the most any model's breaker lets through — none when
 * every model's is OPEN (consumption pauses: nothing is failed, lag simply grows), a few probes' worth while the
 * best is HALF_OPEN, the full bound when one is CLOSED. With the primary OPEN and the fallback CLOSED jobs keep
 * coming: those that may fall back run on the fallback, the others wait in flight for the primary.
 */
@Component
class JobConsumer implements SmartLifecycle, Consumption {

    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private record Done(ConsumerRecord<String, byte[]> record, TopicPartition partition, boolean finished) {
    }

    private final ConsumerFactory<String, byte[]> consumers;
    private final JobHandler handler;
    private final WorkerSettings settings;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("job-", 0).factory());
    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Lanes lanes;
    private final OffsetTracker offsets = new OffsetTracker();
    private final StopSignal stop = new StopSignal();
    /** Per partition: stopped when the partition is revoked or lost, so its waiting jobs let go at once. */
    private final Map<TopicPartition, StopSignal> partitionStops = new HashMap<>();
    private final PauseClock pauses = new PauseClock();
    private volatile boolean running;
    private volatile int admitted;
    private Thread loop;

    JobConsumer(ConsumerFactory<String, byte[]> consumers, JobHandler handler, WorkerSettings settings,
                GeminiBreakers breakers, MeterRegistry meters) {
        this.consumers = consumers;
        this.handler = handler;
        this.settings = settings;
        this.admitted = settings.maxInFlight();
        this.lanes = new Lanes(settings.bulkShare(), meters);
        breakers.onTransition(() -> admit(breakers));
        admit(breakers);
        Gauge.builder("genpipe.worker.jobs.in_flight", lanes, Lanes::inFlight)
                .description("jobs this worker is processing now").register(meters);
        Gauge.builder("genpipe.worker.paused", pauses, p -> p.isPaused() ? 1 : 0)
                .description("1 while the worker takes no new jobs (every model's circuit breaker OPEN)").register(meters);
        Gauge.builder("genpipe.worker.paused.seconds", pauses, p -> p.total().toMillis() / 1000.0)
                .description("time spent paused since start").register(meters);
    }

    private void admit(GeminiBreakers breakers) {
        admitted = breakers.admits(settings.maxInFlight());
        pauses.set(admitted == 0);
        log.info("circuit breaker {}: admitting up to {} jobs in flight", breakers.describe(), admitted);
    }

    @Override
    public int inFlight() {
        return lanes.inFlight();
    }

    @Override
    public int maxInFlight() {
        return settings.maxInFlight();
    }

    @Override
    public boolean isPaused() {
        return pauses.isPaused();
    }

    @Override
    public Duration pausedTotal() {
        return pauses.total();
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("job-consumer").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        try {
            loop.join(settings.shutdownGrace().plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, settings.id())) {
            consumer.subscribe(lanes.topics(), new Rebalance(consumer));
            log.info("worker {} consuming {} with up to {} jobs in flight", settings.id(),
                    String.join(", ", lanes.topics()), settings.maxInFlight());
            while (running) {
                drainDone();
                startFromBacklog();
                commit(consumer, null, false); // what finished since the last iteration, if anything did
                pauseWaitingLanes(consumer);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout())) {
                    if (offsets.received(new TopicPartition(record.topic(), record.partition()), record.offset())) {
                        lanes.add(record);
                    } else {
                        log.debug("record {}-{}@{} was finished by the partition's previous owner: skipped",
                                record.topic(), record.partition(), record.offset());
                    }
                }
                startFromBacklog();
            }
            shutdown(consumer);
        } catch (RuntimeException e) {
            log.error("job consumer stopped by an unexpected error", e);
            running = false;
        }
    }

    /**
     * Pauses the partitions of every lane with records waiting (all of them while the breaker admits nothing) and
     * resumes the others.
     */
    private void pauseWaitingLanes(Consumer<String, byte[]> consumer) {
        Set<TopicPartition> hold = lanes.toPause(consumer.assignment(), admitted == 0);
        if (!hold.isEmpty()) {
            consumer.pause(hold);
        }
        Set<TopicPartition> resume = new HashSet<>(consumer.paused());
        resume.removeAll(hold);
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /**
     * While jobs run, the loop comes round at least every {@code commitInterval}, so that a finished job's offset is
     * committed soon after its terminal event was acknowledged (the window in which a crash would run it again).
     */
    private Duration pollTimeout() {
        if (lanes.waits()) {
            return BUSY_POLL;
        }
        return offsets.hasRunning(null) && settings.commitInterval().compareTo(settings.pollTimeout()) < 0
                ? settings.commitInterval() : settings.pollTimeout();
    }

    private void startFromBacklog() {
        for (Lanes.Admitted next; (next = lanes.next(admitted)) != null; ) {
            ConsumerRecord<String, byte[]> record = next.record();
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Slot slot = next.slot();
            offsets.started(partition, record.offset());
            StopSignal partitionStop = partitionStops.computeIfAbsent(partition, p -> stop.child());
            executor.execute(() -> {
                boolean finished = false;
                try {
                    finished = handler.handle(record, partitionStop, slot);
                } catch (RuntimeException e) {
                    log.error("record {}@{} could not be handled; it will be re-delivered", partition, record.offset(), e);
                } finally {
                    slot.release();
                    done.add(new Done(record, partition, finished));
                }
            });
        }
    }

    private void drainDone() {
        for (Done d; (d = done.poll()) != null; ) {
            record(d);
        }
    }

    private void record(Done d) {
        // an unfinished record keeps its offset uncommitted: it is re-delivered after the next rebalance or restart
        if (offsets.ended(d.partition(), d.record().offset(), d.finished())) {
            lanes.add(d.record()); // fetched again while it ran (its partition came back): not re-delivered again
        }
    }

    /**
     * Commits, in one request, every partition whose commit would say something new (its position moved or a record
     * above it finished): at most one write to {@code __consumer_offsets} per loop iteration, none while nothing
     * finishes.
     */
    private void commit(Consumer<String, byte[]> consumer, Collection<TopicPartition> of, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> ready = offsets.toCommit(of);
        if (ready.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(ready);
            offsets.committed(ready);
        } else {
            offsets.committed(ready); // optimistic, so the same position is not sent again every loop
            consumer.commitAsync(ready, (committed, error) -> {
                if (error != null) {
                    offsets.commitFailed(ready);
                    log.warn("offset commit failed (will retry): {}", error.toString());
                }
            });
        }
    }

    /** Waits (bounded) for the jobs in flight on {@code partitions}, recording every completion meanwhile. */
    private void awaitInFlight(Collection<TopicPartition> partitions, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        drainDone();
        while (offsets.hasRunning(partitions) && System.nanoTime() < deadline) {
            try {
                Done d = done.poll(50, TimeUnit.MILLISECONDS);
                if (d != null) {
                    record(d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        drainDone();
    }

    private void letGo(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            StopSignal signal = partitionStops.remove(partition);
            if (signal != null) {
                stop.stopChild(signal);
            }
        }
    }

    private void shutdown(Consumer<String, byte[]> consumer) {
        int remaining = lanes.inFlight();
        log.info("worker {} stopping: waiting up to {} for {} jobs in flight", settings.id(), settings.shutdownGrace(),
                remaining);
        lanes.drop(null);
        awaitInFlight(null, settings.shutdownGrace());
        stop.stop(); // wake jobs in back-off: they return unfinished and are re-delivered
        awaitInFlight(null, Duration.ofSeconds(5));
        try {
            commit(consumer, null, true);
        } catch (RuntimeException e) {
            log.warn("final offset commit failed: {}", e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        private final Consumer<String, byte[]> consumer;

        Rebalance(Consumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            lanes.drop(partitions);
            // jobs that only wait (breaker, back-off, budgets) let go now; calls under way get the grace period
            letGo(partitions);
            awaitInFlight(partitions, settings.revokeGrace());
            try {
                commit(consumer, partitions, true);
            } catch (RuntimeException e) {
                log.warn("commit on revocation failed: {}", e.toString());
            }
            offsets.forget(partitions);
            log.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lanes.drop(partitions);
            letGo(partitions);
            offsets.forget(partitions);
            log.warn("partitions lost: {}", partitions);
        }

        /** Reads each partition's last commit: the records its previous owner finished above it are skipped. */
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = consumer.committed(new HashSet<>(partitions));
            } catch (RuntimeException e) { // then only the committed position counts, as the fetch itself does
                log.warn("could not read the committed offsets of {}: {}", partitions, e.toString());
                committed = Map.of();
            }
            int skipped = 0;
            for (TopicPartition partition : partitions) {
                skipped += offsets.assigned(partition, committed.get(partition));
            }
            log.info("partitions assigned: {} ({} records above the committed offsets already finished)", partitions,
                    skipped);
        }
    }
}
