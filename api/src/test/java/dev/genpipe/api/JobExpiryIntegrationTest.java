package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.get;
import static dev.genpipe.api.ApiTestSupport.json;
import static dev.genpipe.api.ApiTestSupport.post;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static dev.genpipe.api.ApiTestSupport.workerProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.kafka.Topics;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import dev.genpipe.devstack.LocalKafka;

/**
 * A finished job's state lives for the result TTL after it ended, then every instance forgets it; an unfinished job is
 * kept however old it is (its worker still reports on it). Own broker: the TTL is the whole point.
 */
class JobExpiryIntegrationTest {

    @Test
    void forgetsFinishedJobsAfterTheResultTtl() throws Exception {
        LocalKafka broker = startBroker();
        ConfigurableApplicationContext api = null;
        try {
            api = startApi(broker.bootstrapServers(), "genpipe.api.result-ttl=3s");
            awaitReady(api);
            String finished = json(post(api, """
                    {"type":"EXPLANATION","input":{"topic":"Rust","subtopic":"Ownership","level":"beginner"}}"""))
                    .at("/links/self").asString();
            String unfinished = json(post(api, """
                    {"type":"EXPLANATION","input":{"topic":"Rust","subtopic":"Borrowing","level":"beginner"}}"""))
                    .at("/links/self").asString();
            JobId finishedId = JobId.parse(finished.substring(finished.lastIndexOf('/') + 1)).orElseThrow();
            try (KafkaProducer<String, Object> worker = workerProducer(broker)) { // no worker runs: play one
                worker.send(new ProducerRecord<>(Topics.JOB_EVENTS, finishedId.toString(),
                        new JobStarted(finishedId, Instant.now(), "w"))).get();
                worker.send(new ProducerRecord<>(Topics.JOB_EVENTS, finishedId.toString(), new JobSucceeded(
                        finishedId, Instant.now(), new JobResult.Explanation("x"), false, TokenUsage.NONE, "m"))).get();
            }
            ConfigurableApplicationContext running = api;
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(get(running, finished)).get("status").asString().equals("SUCCEEDED"));

            await().atMost(Duration.ofSeconds(20)).until(() -> get(running, finished).statusCode() == 404);
            assertThat(get(api, unfinished).statusCode()).as("not finished: kept past the TTL").isEqualTo(200);
        } finally {
            closeQuietly(api, broker);
        }
    }
}
