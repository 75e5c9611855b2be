package dev.genpipe.worker.cache;

import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.LocalRedis;
import java.time.Duration;
import java.util.Optional;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * For tests of other packages: a real redis-server, a Redisson client on it and a {@link RedisHealth} that has seen
 * it answer. {@link #close()} stops all three, whatever was started.
 */
public final class RedisClientFixture implements AutoCloseable {

    public final LocalRedis redis;
    public final RedissonClient client;
    public final RedisHealth health;

    private RedisClientFixture(LocalRedis redis, RedissonClient client, RedisHealth health) {
        this.redis = redis;
        this.client = client;
        this.health = health;
    }

    public static RedisClientFixture start() {
        LocalRedis redis = LocalRedis.start();
        RedissonClient client = null;
        try {
            Config config = new Config();
            config.useSingleServer().setAddress("redis://" + redis.host() + ":" + redis.port());
            client = Redisson.create(config);
            RedisClientFixture fixture = new RedisClientFixture(redis, client, new RedisHealth(Optional.of(client)));
            await().atMost(Duration.ofSeconds(10)).until(fixture.health::up);
            return fixture;
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            redis.close();
            throw e;
        }
    }

    @Override
    public void close() {
        health.destroy();
        client.shutdown();
        redis.close();
    }
}
