package dev.genpipe.devstack;

import java.util.Locale;

/**
 * Where {@link LocalKafka} and {@link LocalRedis} run. {@link #EMBEDDED} (the default): a KRaft broker inside this
 * JVM and the redis-server binary shipped in embedded-redis, so nothing but a JDK is needed. {@link #CONTAINERS}: the
 * {@code apache/kafka} and {@code redis} images of docker-compose.yml, started by Testcontainers, for machines with a
 * Docker engine. Chosen with the system property {@value #PROPERTY} ({@code mvn verify -Pcontainers} sets it to
 * {@code containers} for every test JVM); the same tests run either way.
 */
public enum Infrastructure {
    EMBEDDED,
    CONTAINERS;

    public static final String PROPERTY = "genpipe.infra";
    /** The Kafka image of the containers path: docker-compose.yml's (a test keeps them equal). */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    /** The Redis image of the containers path: docker-compose.yml's. */
    public static final String REDIS_IMAGE = "redis:7.4";

    /** The infrastructure selected for this JVM. @throws IllegalArgumentException on an unknown value */
    public static Infrastructure selected() {
        return parse(System.getProperty(PROPERTY));
    }

    static Infrastructure parse(String value) {
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "containers" -> CONTAINERS;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + value
                    + " is not known: use 'embedded' (in-process Kafka, embedded redis-server) or 'containers' "
                    + "(Testcontainers, needs a Docker engine)");
        };
    }
}
