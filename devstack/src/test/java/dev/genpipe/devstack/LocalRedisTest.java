package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A real redis-server that can be stopped and brought back on the same port (the embedded one: ContainersTest has the other). */
class LocalRedisTest {

    @Test
    void answersStopsAndRestartsOnTheSamePort() throws IOException {
        try (LocalRedis redis = LocalRedis.start(0, true, Infrastructure.EMBEDDED)) {
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(RedisWire.command(redis.host(), redis.port(), "PING")).containsExactly("+PONG");
            assertThat(RedisWire.command(redis.host(), redis.port(), "SET", "k", "v")).containsExactly("+OK");

            redis.stop();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> RedisWire.command(redis.host(), redis.port(), "PING"))
                    .isInstanceOf(ConnectException.class);

            redis.restart();

            assertThat(redis.isRunning()).isTrue();
            assertThat(RedisWire.command(redis.host(), redis.port(), "PING")).containsExactly("+PONG");
            assertThat(RedisWire.command(redis.host(), redis.port(), "GET", "k")).containsExactly("$-1");
        }
    }

    @Test
    void isConfiguredWithoutPersistenceOnLoopbackWithAMemoryCap() throws IOException {
        int port = FreePorts.next();
        try (LocalRedis redis = LocalRedis.start(port, true, Infrastructure.EMBEDDED)) {
            assertThat(redis.port()).isEqualTo(port);
            assertThat(RedisWire.command(redis.host(), port, "CONFIG", "GET", "save")).containsExactly("save", "");
            assertThat(RedisWire.command(redis.host(), port, "CONFIG", "GET", "appendonly")).containsExactly("appendonly", "no");
            assertThat(RedisWire.command(redis.host(), port, "CONFIG", "GET", "bind")).containsExactly("bind", "127.0.0.1");
            assertThat(RedisWire.command(redis.host(), port, "CONFIG", "GET", "maxmemory"))
                    .containsExactly("maxmemory", Long.toString(128L * 1024 * 1024));
        }
    }

    @Test
    void aFailedStartSaysWhy() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalRedis.start(taken.getLocalPort(), true, Infrastructure.EMBEDDED))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("Failed listening on port " + taken.getLocalPort());
        }
    }
}
