package dev.genpipe.devstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the local run reads from the environment.
 *
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, or null to start a local broker
 * @param redisHost {@code REDIS_HOST}, or null to start a local Redis
 * @param redisPort {@code REDIS_PORT}, used with {@code REDIS_HOST} (default 6379)
 * @param geminiApiKey {@code GEMINI_API_KEY}, or null to use the offline stand-in
 * @param standInLatencyMs {@code STANDIN_LATENCY_MS} (default 300)
 * @param apiPort {@code API_PORT} (default 8080)
 * @param workers {@code WORKERS} (default 1)
 * @param home {@code GENPIPE_HOME}, the repository root (default the current directory)
 * @param ports where the local services listen
 */
record LocalRunSettings(String kafkaBootstrapServers, String redisHost, int redisPort, String geminiApiKey,
        long standInLatencyMs, int apiPort, int workers, Path home, LocalPorts ports) {

    /**
     * Ports of the services the local run starts itself.
     *
     * @param kafka the local broker's port (19092)
     * @param redis the local Redis port (16379)
     * @param standIn the Gemini stand-in's port (18089)
     * @param firstWorker worker i gets {@code SERVER_PORT} firstWorker + i (8091)
     */
    record LocalPorts(int kafka, int redis, int standIn, int firstWorker) {

        static final LocalPorts DEFAULT = new LocalPorts(19092, 16379, 18089, 8091);
    }

    static LocalRunSettings fromEnvironment(Map<String, String> env) {
        return new LocalRunSettings(
                text(env, "KAFKA_BOOTSTRAP_SERVERS"),
                text(env, "REDIS_HOST"),
                number(env, "REDIS_PORT", 6379),
                text(env, "GEMINI_API_KEY"),
                number(env, "STANDIN_LATENCY_MS", 300),
                number(env, "API_PORT", 8080),
                number(env, "WORKERS", 1),
                Path.of(env.getOrDefault("GENPIPE_HOME", "")).toAbsolutePath().normalize(),
                LocalPorts.DEFAULT);
    }

    boolean useStandIn() {
        return geminiApiKey == null;
    }

    private static String text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = text(env, name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative whole number, got '" + value + "'");
        }
    }
}
