package dev.genpipe.devstack;

import java.util.ArrayList;
import java.util.List;

/** The text the local run prints: where everything is, and how to try it. */
final class Banner {

    private Banner() {
    }

    static List<String> services(LocalRunSettings settings, String kafka, String redis, String standInUrl) {
        List<String> lines = new ArrayList<>();
        lines.add("==================== GenPipe local run ====================");
        lines.add(settings.kafkaBootstrapServers() == null
                ? "Kafka:   embedded KRaft broker at " + kafka + " (set KAFKA_BOOTSTRAP_SERVERS to use your own)"
                : "Kafka:   " + kafka + " (from KAFKA_BOOTSTRAP_SERVERS)");
        lines.add(settings.redisHost() == null
                ? "Redis:   redis-server at " + redis + " (set REDIS_HOST/REDIS_PORT to use your own)"
                : "Redis:   " + redis + " (from REDIS_HOST/REDIS_PORT)");
        if (standInUrl != null) {
            lines.add("Gemini:  OFFLINE STAND-IN at " + standInUrl + " (set GEMINI_API_KEY to use the real Gemini API)");
            lines.add("         " + settings.standInLatencyMs() + " ms per call (STANDIN_LATENCY_MS); stats: curl -s "
                    + standInUrl + "/standin/stats");
        } else {
            lines.add("Gemini:  the real Gemini API (GEMINI_API_KEY is set)");
        }
        lines.add("API:     http://localhost:" + settings.apiPort() + " (OPEN ACCESS dev mode: no API key needed)");
        StringBuilder workers = new StringBuilder("Workers: " + settings.workers());
        for (int i = 0; i < settings.workers(); i++) {
            workers.append(i == 0 ? " - " : ", ").append("worker-").append(i + 1).append(" on port ")
                    .append(settings.ports().firstWorker() + i);
        }
        lines.add(workers.toString());
        lines.add("===========================================================");
        return lines;
    }

    static List<String> tryIt(int apiPort) {
        String api = "localhost:" + apiPort;
        return List.of(
                "GenPipe is ready at http://" + api + ". Try:",
                "  curl -s -X POST " + api + "/api/jobs -H 'Content-Type: application/json' "
                        + "-d '{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"Photosynthesis\"}}'",
                "  curl -s " + api + "/api/jobs/<jobId>",
                "  curl -N " + api + "/api/jobs/<jobId>/events",
                "Ctrl-C stops everything.");
    }
}
