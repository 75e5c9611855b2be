package dev.genpipe.worker.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Identical requests in flight at the same time cost one Gemini call, across all workers. In this worker the first
 * job of a key leads and the others follow its in-memory future; across workers the leader holds a Redisson lock
 * ({@code genpipe:flight:<key>}), whose watchdog lease ends soon after its worker dies, so followers are never
 * stranded: they watch the cache and take over the lead when the lock is free. Without Redis it is per worker.
 */
@Component
public class SingleFlight {

    private static final Logger log = LoggerFactory.getLogger(SingleFlight.class);
    static final String LOCK_PREFIX = "genpipe:flight:";
    private static final Duration UNLOCK_WAIT = Duration.ofSeconds(10);

    private final Optional<RedissonClient> redis;
    private final RedisHealth health;
    private final ResultCache cache;
    private final ConcurrentHashMap<String, CompletableFuture<CachedResult>> local = new ConcurrentHashMap<>();

    SingleFlight(Optional<RedissonClient> redis, RedisHealth health, ResultCache cache) {
        this.redis = redis;
        this.health = health;
        this.cache = cache;
    }

    /** A job's place in the flight of its key. */
    public sealed interface Flight permits Leader, Follower {
    }

    /** This job calls Gemini; it must end the flight with {@link #succeeded}, {@link #failed} or {@link #abandoned}. */
    public final class Leader implements Flight {

        private final String key;
        private final CompletableFuture<CachedResult> outcome;
        private final RLock lock;
        private final long owner = Thread.currentThread().threadId(); // the lock's holder, for a later unlock
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        private Leader(String key, CompletableFuture<CachedResult> outcome, RLock lock) {
            this.key = key;
            this.outcome = outcome;
            this.lock = lock;
        }

        /**
         * The leader's result: followers in this worker complete with it at once; it goes into the cache, and only
         * then is the lock released (followers in other workers watch the cache while the lock is held). The
         * caller does not wait for Redis: its job completes meanwhile.
         */
        public void succeeded(CachedResult result) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            local.remove(key, outcome);
            outcome.complete(result);
            // on a virtual thread of its own: never on Redisson's event loop, and the job does not wait for it
            Thread.ofVirtual().name("flight-end").start(() -> {
                cache.store(key, result);
                if (lock != null) {
                    try {
                        lock.unlockAsync(owner).toCompletableFuture().get(UNLOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException | RuntimeException e) {
                        log.debug("flight lock of {} not released (its lease ends by itself): {}", key, e.toString());
                    }
                }
            });
        }

        /** A final failure that would be the same for every identical request: followers fail with it. */
        public void failed(RuntimeException failure) {
            end(() -> outcome.completeExceptionally(failure));
        }

        /** The leader gives up without a final answer (stopping, expired, retries exhausted): a follower takes over. */
        public void abandoned() {
            end(() -> outcome.complete(null));
        }

        private void end(Runnable complete) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            local.remove(key, outcome);
            complete.run();
            if (lock != null) {
                try {
                    lock.unlock();
                } catch (RuntimeException e) {
                    log.debug("flight lock of {} not released (its lease ends by itself): {}", key, e.toString());
                }
            }
        }
    }

    /** Another job (here or in another worker) is calling Gemini for the same key. */
    public final class Follower implements Flight {

        private final String key;
        private final CompletableFuture<CachedResult> local;

        private Follower(String key, CompletableFuture<CachedResult> local) {
            this.key = key;
            this.local = local;
        }

        /**
         * Waits up to {@code max} for the leader.
         *
         * @return the result when there is one; empty when the caller should wait again or, if
         *         {@link #leaderGone()}, join the flight anew
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
                Thread.sleep(Math.min(max.toMillis(), 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return cache.peek(key);
        }

        /** The leader ended without a result for us: join the flight again (and perhaps lead it). */
        public boolean leaderGone() {
            if (local != null) {
                return local.isDone();
            }
            try {
                return !health.up() || !lock(key).isLocked();
            } catch (RuntimeException e) {
                health.failed(e);
                return true;
            }
        }
    }

    /** Joins the flight of {@code key}: lead it when nobody does, otherwise follow. */
    public Flight join(String key) {
        CompletableFuture<CachedResult> mine = new CompletableFuture<>();
        CompletableFuture<CachedResult> theirs = local.putIfAbsent(key, mine);
        if (theirs != null) {
            return new Follower(key, theirs);
        }
        if (!health.up()) {
            return new Leader(key, mine, null);
        }
        try {
            RLock lock = lock(key);
            if (lock.tryLock(0, TimeUnit.MILLISECONDS)) { // watchdog lease: renewed while this worker lives
                return new Leader(key, mine, lock);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            health.failed(e);
            return new Leader(key, mine, null);
        }
        local.remove(key, mine);
        mine.complete(null);
        return new Follower(key, null);
    }

    private RLock lock(String key) {
        return redis.orElseThrow().getLock(LOCK_PREFIX + key);
    }
}
