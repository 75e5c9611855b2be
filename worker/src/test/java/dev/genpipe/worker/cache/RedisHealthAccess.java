package dev.genpipe.worker.cache;

import java.util.Optional;
import org.redisson.api.RedissonClient;

/** Lets tests of other packages build a {@link RedisHealth} around their own client. */
public final class RedisHealthAccess {

    private RedisHealthAccess() {
    }

    public static RedisHealth create(RedissonClient client) {
        return new RedisHealth(Optional.of(client));
    }
}
