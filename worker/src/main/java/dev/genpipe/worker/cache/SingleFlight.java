package dev.genpipe.worker.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The cache lookup and single flight of a key in one step: identical requests in flight at the same time cost one
 * Gemini call, across all workers. In this worker the first job of a key looks it up and, on a miss, leads; the
 * others follow its in-memory future without asking Redis. The lookup takes the flight in Redis in the same round
 * trip (a key {@code genpipe:flight:<key>} set only if absent, holding the leader's token for a lease of
 * {@code genpipe.cache.flight-lease}); the leader renews the lease every third of it while its call runs, so a long
 * call keeps the lead and a dead worker's lease lapses within one lease. Storing the result ends the flight in the
 * same round trip. Followers in other workers watch the cache and take over when the flight key is gone. Without
 * Redis it is per worker.
 */
@Component
public class SingleFlight implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SingleFlight.class);
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    private final RedisResults redis;
    private final RedisHealth health;
    private final ResultCache cache;
    private final Duration lease;
    private final String owner;
    private final ConcurrentHashMap<String, CompletableFuture<CachedResult>> local = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("flight-lease").daemon().factory());

    SingleFlight(RedisResults redis, RedisHealth health, ResultCache cache, CacheSettings settings,
                 @Value("${genpipe.worker.id:worker}") String workerId) {
        this.redis = redis;
        this.health = health;
        this.cache = cache;
        this.lease = settings.flightLease();
        this.owner = workerId;
    }

    /** A job's place in the flight of its key. */
    public sealed interface Flight permits Hit, Leader, Follower {
    }

    /** The result was cached: nothing to call, no flight to end. */
    public record Hit(CachedResult result) implements Flight {
    }

    /** This job calls Gemini; it must end the flight with {@link #succeeded}, {@link #failed} or {@link #abandoned}. */
    public final class Leader implements Flight {

        private final String key;
        private final CompletableFuture<CachedResult> outcome;
        private final String token; // the flight key's value in Redis; null when leading without Redis
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile ScheduledFuture<?> renewal;

        private Leader(String key, CompletableFuture<CachedResult> outcome, String token) {
            this.key = key;
            this.outcome = outcome;
            this.token = token;
        }

        /** While the leader runs, its lease is extended every third of it (asynchronously: the timer never waits). */
        private void keepLease() {
            if (token == null) {
                return;
            }
            long period = Math.max(1, lease.toMillis() / 3);
            try {
                renewal = renewals.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) { // the worker is stopping: the lease ends by itself
                log.debug("lease of flight {} not kept: {}", key, e.toString());
            }
        }

        private void renew() {
            if (ended.get() || !health.up()) {
                return;
            }
            try {
                redis.renew(key, token, lease).whenComplete((held, e) -> {
                    if (e != null) {
                        log.debug("lease of flight {} not renewed: {}", key, e.toString());
                    } else if (!held && !ended.get()) {
                        log.warn("flight {} lost its lease while its call runs: another worker may call too", key);
                    }
                });
            } catch (RuntimeException e) {
                log.debug("lease of flight {} not renewed: {}", key, e.toString());
            }
        }

        /**
         * The leader's result: followers in this worker complete with it at once; it goes into the cache and the
         * flight ends in one round trip (followers in other workers watch the cache while the flight is held). The
         * caller does not wait for Redis: its job completes meanwhile.
         */
        public void succeeded(CachedResult result) {
            if (!end()) {
                return;
            }
            outcome.complete(result);
            // on a virtual thread of its own: never on Redisson's event loop, and the job does not wait for it
            Thread.ofVirtual().name("flight-end").start(() -> cache.store(key, result, token));
        }

        /** A final failure that would be the same for every identical request: followers fail with it. */
        public void failed(RuntimeException failure) {
            if (end()) {
                outcome.completeExceptionally(failure);
                release();
            }
        }

        /** The leader gives up without a final answer (stopping, expired, retries exhausted): a follower takes over. */
        public void abandoned() {
            if (end()) {
                outcome.complete(null);
                release();
            }
        }

        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> renewing = renewal;
            if (renewing != null) {
                renewing.cancel(false);
            }
            local.remove(key, outcome);
            return true;
        }

        private void release() {
            if (token == null || !health.up()) {
                return;
            }
            try {
                redis.release(key, token);
            } catch (RuntimeException e) {
                log.debug("flight {} not released (its lease ends by itself): {}", key, e.toString());
            }
        }
    }

    /** Another job (here or in another worker) is calling Gemini for the same key. */
    public final class Follower implements Flight {

        private final String key;
        private final CompletableFuture<CachedResult> local;
        private volatile boolean gone;

        private Follower(String key, CompletableFuture<CachedResult> local) {
            this.key = key;
            this.local = local;
        }

        /**
         * Waits up to {@code max} for the leader: on the local leader's future, or (another worker's leader) by
         * looking at the cache and the flight key in one round trip.
         *
         * @return the result when there is one; empty when the caller should wait again or, if
         *         {@link #leaderGone()}, {@link #rejoin()}
         * @throws RuntimeException the leader's final failure
         */
        public Optional<CachedResult> await(Duration max) {
            if (local != null) {
                try {
                    return Optional.ofNullable(local.get(max.toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    return Optional.empty();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            try {
                Thread.sleep(Math.min(max.toMillis(), WATCH_INTERVAL.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ResultCache.Watch watch = cache.watch(key);
            gone = watch.gone();
            return Optional.ofNullable(watch.result());
        }

        /** The leader ended without a result for us (as the last {@link #await} saw it): {@link #rejoin()}. */
        public boolean leaderGone() {
            return local != null ? local.isDone() : gone;
        }

        /** Joins the flight again after its leader is gone: perhaps the result is there now, or this job leads. */
        public Flight rejoin() {
            return join(key, false);
        }
    }

    /**
     * Looks {@code key} up and joins its flight: a {@link Hit} when the result is cached, else lead the flight when
     * nobody does, otherwise follow. One Redis round trip, none when a job of this worker already leads the key.
     */
    public Flight join(String key) {
        return join(key, true);
    }

    private Flight join(String key, boolean counted) {
        CompletableFuture<CachedResult> mine = new CompletableFuture<>();
        CompletableFuture<CachedResult> theirs = local.putIfAbsent(key, mine);
        if (theirs != null) {
            if (counted) {
                cache.missedLocally();
            }
            return new Follower(key, theirs);
        }
        ResultCache.Lookup found = cache.lookup(key, owner + ":" + UUID.randomUUID(), lease, counted);
        switch (found.outcome()) {
            case HIT -> {
                local.remove(key, mine);
                mine.complete(found.result()); // a job of this worker that joined meanwhile has it too
                return new Hit(found.result());
            }
            case LEAD -> {
                Leader leader = new Leader(key, mine, found.token());
                leader.keepLease();
                return leader;
            }
            default -> {
                local.remove(key, mine);
                mine.complete(null); // a job of this worker that joined meanwhile joins again
                return new Follower(key, null);
            }
        }
    }

    @Override
    public void destroy() {
        renewals.shutdownNow();
    }
}
