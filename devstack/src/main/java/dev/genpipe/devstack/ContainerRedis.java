package dev.genpipe.devstack;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * {@link LocalRedis} on {@link Infrastructure#CONTAINERS}: the compose file's redis image, configured like the
 * embedded server (no persistence, 128 MB), on a fixed host port so that a restart (a new container) is where the
 * old one was, as the embedded server's restart is.
 */
final class ContainerRedis {

    private static final int REDIS_PORT = 6379;

    private final int hostPort;
    private GenericContainer<?> running;

    ContainerRedis(int hostPort) {
        Containers.requireDocker();
        this.hostPort = hostPort;
    }

    synchronized void start() {
        stop();
        GenericContainer<?> redis = new GenericContainer<>(Containers.REDIS)
                .withCommand("redis-server", "--save", "", "--appendonly", "no", "--maxmemory", "128mb")
                .withExposedPorts(REDIS_PORT)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        Containers.bindHostPort(redis, REDIS_PORT, hostPort);
        try {
            redis.start();
        } catch (RuntimeException e) {
            redis.stop();
            throw new IllegalStateException("Redis container " + Containers.REDIS + " did not start on host port "
                    + hostPort + " (is the port taken?)", e);
        }
        running = redis;
    }

    synchronized void stop() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    synchronized boolean isRunning() {
        return running != null && running.isRunning();
    }

    synchronized String host() {
        return running != null ? running.getHost() : "localhost";
    }
}
