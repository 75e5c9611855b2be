package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobId;
import dev.genpipe.worker.cache.RedisHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * A job's ending (its terminal event, or a presentation's plan) is handed to Kafka once across all workers, even when
 * two runs of one job overlap: a partition that moved while its jobs ran (a broker restart that fenced a worker, a
 * rebalance past the revoke grace), or a job run again after a crash right after its ending.
 *
 * <p>Before it writes, a run claims {@code genpipe:end:<jobId>} in Redis ({@code SET NX} with a lease of
 * {@code genpipe.worker.end-lease}, renewed every third of it while Kafka has not acknowledged the write); once Kafka
 * has it the key says {@code done} for {@code genpipe.worker.end-memory}. A run that finds the key {@code done} writes
 * nothing and counts the job finished (its offset commits); one that finds another run's claim waits until it is
 * {@code done}, or lapses (that run died before Kafka had its write: this one claims and writes). One round trip
 * before the write and one, not awaited, after it.
 *
 * <p>Never at the price of a job: without Redis (disabled, down, or failing) the ending is written anyway, at least
 * once as before. What remains open: a worker killed between Kafka's acknowledgement and its {@code done}
 * (microseconds) leaves a claim that lapses, and that job's ending may then be written twice; so may a job whose
 * second run comes after {@code end-memory}, or after Redis lost its keys.
 */
@Component
class EndClaims implements DisposableBean {

    static final String PREFIX = "genpipe:end:";
    static final String DONE = "done";
    static final String CLAIMED = "claimed";
    private static final Logger log = LoggerFactory.getLogger(EndClaims.class);
    private static final Duration RECHECK = Duration.ofMillis(200);

    /** KEYS: the job's end key; ARGV: token, lease (ms). @return {@code claimed}, or the key's value */
    private static final String CLAIM = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'claimed' end
            return redis.call('GET', KEYS[1])
            """;
    /** KEYS: the job's end key; ARGV: token, lease (ms). Extends the lease if the claim is still the caller's. */
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;

    private final Optional<RedissonClient> redis;
    private final RedisHealth health;
    private final Duration lease;
    private final Duration memory;
    private final String owner;
    private final Counter skipped;
    /** Claims whose write Kafka has not acknowledged yet: key → token. */
    private final ConcurrentHashMap<String, String> writing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("end-lease").daemon().factory());

    EndClaims(Optional<RedissonClient> redis, RedisHealth health, WorkerSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.health = health;
        this.lease = settings.endLease();
        this.memory = settings.endMemory();
        this.owner = settings.id();
        this.skipped = Counter.builder("genpipe.worker.endings.skipped")
                .description("endings not written because another run of the same job had written its own")
                .register(meters);
        long period = Math.max(1, lease.toMillis() / 3);
        renewals.scheduleAtFixedRate(this::renewWaiting, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code write} (which returns once Kafka has the ending, or false when the job must let go) unless another
     * run of job {@code id} wrote its ending or is writing it.
     *
     * @return true when the job's ending is in Kafka (written here or by another run), false when {@code stop} came
     *         first (the record is then re-delivered)
     */
    boolean once(JobId id, StopSignal stop, BooleanSupplier write) {
        String key = PREFIX + id;
        String token = owner + ":" + UUID.randomUUID();
        while (true) {
            if (redis.isEmpty() || !health.up()) {
                return write.getAsBoolean();
            }
            String state;
            try {
                state = script().eval(RScript.Mode.READ_WRITE, CLAIM, RScript.ReturnType.VALUE, List.of(key), token,
                        Long.toString(lease.toMillis()));
            } catch (RuntimeException e) {
                health.failed(e);
                return write.getAsBoolean();
            }
            if (CLAIMED.equals(state)) {
                return writeClaimed(key, token, write);
            }
            if (DONE.equals(state)) {
                skipped.increment();
                log.info("job {} already ended in another run (its offset was not committed yet): not written again",
                        id);
                return true;
            }
            // another run holds the claim (its token): it is writing the ending; look again until done or lapsed
            if (!stop.sleep(RECHECK)) {
                return false;
            }
        }
    }

    private boolean writeClaimed(String key, String token, BooleanSupplier write) {
        writing.put(key, token);
        boolean written;
        try {
            written = write.getAsBoolean();
        } finally {
            writing.remove(key, token);
        }
        if (written) {
            // not awaited: the job is done; a lost "done" leaves the claim to lapse (see the class comment)
            try {
                redis.orElseThrow().getBucket(key, StringCodec.INSTANCE).setAsync(DONE, memory)
                        .whenComplete((ok, e) -> {
                            if (e != null) {
                                log.debug("end of {} not marked done (its claim lapses): {}", key, e.toString());
                            }
                        });
            } catch (RuntimeException e) {
                log.debug("end of {} not marked done (its claim lapses): {}", key, e.toString());
            }
        }
        // not written (stopping): the claim is left to lapse, as a write still under way may yet reach Kafka
        return written;
    }

    /**
     * Every third of the lease: renews the claims whose write still waits for Kafka (a broker outage, say). One timer
     * for all claims, so a write acknowledged in milliseconds, as nearly all are, costs no timer task of its own; a
     * claim taken just before a tick is renewed early, which is harmless.
     */
    private void renewWaiting() {
        if (writing.isEmpty() || !health.up()) {
            return;
        }
        writing.forEach(this::renew);
    }

    private void renew(String key, String token) {
        try {
            script().evalAsync(RScript.Mode.READ_WRITE, RENEW, RScript.ReturnType.LONG, List.of(key), token,
                    Long.toString(lease.toMillis())).whenComplete((held, e) -> {
                        if (e != null) {
                            log.debug("claim {} not renewed: {}", key, e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            log.debug("claim {} not renewed: {}", key, e.toString());
        }
    }

    private RScript script() {
        return redis.orElseThrow().getScript(StringCodec.INSTANCE);
    }

    @Override
    public void destroy() {
        renewals.shutdownNow();
    }
}
