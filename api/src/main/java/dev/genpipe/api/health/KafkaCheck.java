package dev.genpipe.api.health;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Whether the Kafka cluster answers: a {@code describeCluster} bounded to {@link #TIMEOUT}, its outcome reused for
 * {@link #TTL} so that health polling does not turn into broker load and a dead cluster costs one timeout per
 * {@code TTL}, not one per request. Its own long-lived admin client, configured like Boot's {@link KafkaAdmin}.
 */
@Component
class KafkaCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration TTL = Duration.ofSeconds(5);

    /** One probe's outcome. {@code detail} says what was seen, never where or with which credentials. */
    record Result(boolean reachable, String detail, Instant at) {
    }

    private final Map<String, Object> config;
    private Admin admin;
    private Result last;

    KafkaCheck(KafkaAdmin kafkaAdmin) {
        this.config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "genpipe-api-health");
    }

    /** The latest outcome if it is recent, else a fresh probe (at most {@link #TIMEOUT}). */
    synchronized Result check() {
        Instant now = Instant.now();
        if (last == null || !last.at().plus(TTL).isAfter(now)) {
            last = probe(now);
        }
        return last;
    }

    private Result probe(Instant now) {
        try {
            if (admin == null) {
                admin = Admin.create(config);
            }
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return new Result(true, brokers + (brokers == 1 ? " broker" : " brokers") + " reachable", now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "cluster check interrupted", now);
        } catch (ExecutionException e) {
            return new Result(false, "cluster unreachable (" + e.getCause().getClass().getSimpleName() + ")", now);
        } catch (TimeoutException e) {
            return new Result(false, "cluster unreachable (no answer within " + TIMEOUT.toSeconds() + " s)", now);
        } catch (RuntimeException e) {
            return new Result(false, "cluster check failed (" + e.getClass().getSimpleName() + ")", now);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
