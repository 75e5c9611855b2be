package dev.genpipe.api.clients;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A token bucket per client (per API instance): {@code submitsPerMinute} refilled continuously, bursts up to the same
 * number. With M API instances a client may submit up to M times the rate; set the limit accordingly.
 */
@Component
public class SubmitRateLimits {

    private final double perNano;
    private final double capacity;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    SubmitRateLimits(ClientSettings settings) {
        this.capacity = settings.submitsPerMinute();
        this.perNano = settings.submitsPerMinute() / (double) Duration.ofMinutes(1).toNanos();
    }

    /** Takes one submit from the client's bucket. @throws TooManyRequests when it is empty */
    public void take(Client client) {
        Bucket bucket = buckets.computeIfAbsent(client.id(), id -> new Bucket(capacity, System.nanoTime()));
        long waitNanos;
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perNano);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return;
            }
            waitNanos = (long) Math.ceil((1 - bucket.tokens) / perNano);
        }
        throw new TooManyRequests("submit rate limit of " + (long) capacity + " jobs per minute reached; retry later",
                Duration.ofNanos(waitNanos));
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
