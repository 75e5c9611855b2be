package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.systemtests.ApiClient.Response;
import dev.genpipe.systemtests.WebhookReceiver.Delivery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import dev.genpipe.common.kafka.GenPipeJson;

/**
 * Signed completion webhooks on the assembled system (real Kafka, Redis, worker, the stand-in), received by JDK
 * HttpServers on free loopback ports, which this API instance allows explicitly ({@code 127.0.0.1}). The signature is
 * checked here with an implementation of the Standard Webhooks rule of the test's own, not with GenPipe's signer.
 */
class WebhookTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static GenPipeStack stack;
    private static ApiClient api;
    private static final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi("genpipe.webhooks.allowed-hosts=127.0.0.1",
                "genpipe.webhooks.secrets=anonymous:" + TestSecrets.WEBHOOK_SECRET,
                "genpipe.webhooks.retry-base-delay=200ms",
                "genpipe.webhooks.retry-max-delay=1s",
                "genpipe.webhooks.retry-for=2m",
                // long enough that the hanging receiver's first attempt outlasts everything the test waits for
                "genpipe.webhooks.timeout=3m",
                "logging.level.dev.genpipe.api.webhooks=DEBUG");
        stack.startWorker("worker-webhooks");
    }

    @AfterAll
    static void stopSystem() {
        try {
            receivers.forEach(WebhookReceiver::close);
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheSameSignedBodyThreeTimes() throws Exception {
        WebhookReceiver receiver = receiver(WebhookReceiver.answering(500, 500));
        String jobId = api.submitted(job("Webhooks", receiver.url()));

        JsonNode job = awaitWebhook(jobId, "DELIVERED");
        assertThat(job.at("/webhook/attempts").asInt()).isEqualTo(3);
        assertThat(job.at("/webhook/lastStatus").asInt()).isEqualTo(200);
        List<Delivery> deliveries = receiver.deliveries();
        assertThat(deliveries).hasSize(3);
        assertThat(receiver.answered()).isEqualTo(3);

        byte[] body = deliveries.getFirst().body();
        for (Delivery delivery : deliveries) {
            assertThat(delivery.id()).isEqualTo("msg_" + jobId);
            assertThat(delivery.body()).isEqualTo(body);
            assertThat(verifies(TestSecrets.WEBHOOK_SECRET, delivery, delivery.body())).isTrue();
            assertThat(Long.parseLong(delivery.timestamp()))
                    .isBetween(Instant.now().minusSeconds(300).getEpochSecond(), Instant.now().getEpochSecond());
        }
        Delivery last = deliveries.getLast();
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("SUCCEEDED", "FAILED")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifies(TestSecrets.WEBHOOK_SECRET, last, tampered)).as("a tampered body").isFalse();
        assertThat(verifies("whsec_" + Base64.getEncoder().encodeToString("another".getBytes()), last, body))
                .as("another secret").isFalse();

        // the body is the finished job as GET answers it, without the delivery state
        ObjectNode sent = (ObjectNode) GenPipeJson.mapper().readTree(body);
        ObjectNode got = (ObjectNode) job.deepCopy();
        sent.remove("webhook");
        got.remove("webhook");
        assertThat(sent.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(sent.at("/result/subtopics")).hasSize(5);
        assertThat(sent).isEqualTo(got);
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotSlowOtherJobs() throws Exception {
        WebhookReceiver hanging = receiver(WebhookReceiver.hanging());
        WebhookReceiver healthy = receiver(WebhookReceiver.answering());
        String hung = api.submitted(job("Hanging", hanging.url()));
        await().atMost(PATIENCE).until(() -> hanging.deliveries().size() >= 1);

        List<String> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(api.submitted(job("Other " + i, i % 2 == 0 ? healthy.url() : null)));
        }
        for (String other : others) {
            awaitStatus(api, other, "SUCCEEDED");
        }
        // delivered at least once each (a receiver deduplicates by webhook-id, as the spec says)
        List<String> healthyJobs = new ArrayList<>();
        for (int i = 0; i < others.size(); i += 2) {
            healthyJobs.add(others.get(i));
        }
        await("the healthy receiver got a webhook for each of its 10 jobs").atMost(PATIENCE)
                .until(() -> undelivered(healthy, healthyJobs), List::isEmpty);
        for (int i = 0; i < others.size(); i += 2) {
            assertThat(awaitWebhook(others.get(i), "DELIVERED").at("/webhook/attempts").asInt()).isEqualTo(1);
        }

        // all of that happened while the hanging receiver still held its first attempt
        assertThat(hanging.deliveries()).hasSize(1);
        assertThat(hanging.answered()).isZero();
        JsonNode stillHanging = api.job(hung).body();
        assertThat(stillHanging.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(stillHanging.get("webhook").isNull()).as("no attempt has ended yet").isTrue();
    }

    @Test
    void aCallbackToAHostNotAllowedOrAPrivateAddressIsA400AtSubmit() {
        for (String url : List.of("https://hooks.example.net/done", "http://10.0.0.5/hook",
                "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/hook", "ftp://127.0.0.1/x",
                "http://user:pw@127.0.0.1/x")) {
            Response refused = api.submit(job("Refused", url));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body().at("/errors/0/field").asString()).isEqualTo("callbackUrl");
        }
        assertThat(api.submit(job("Refused", "http://10.0.0.5/hook")).body().at("/errors/0/message").asString())
                .contains("private, loopback or link-local");
        assertThat(api.submit(job("Refused", "https://hooks.example.net/x")).body().at("/errors/0/message")
                .asString()).contains("GENPIPE_WEBHOOK_ALLOWED_HOSTS");
    }

    private static JsonNode awaitWebhook(String jobId, String state) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(jobId).body(), job -> state.equals(job.at("/webhook/state").asString(null)));
    }

    /** The jobs of {@code jobIds} the receiver has not seen, each with its webhook state (for the failure message). */
    private static List<String> undelivered(WebhookReceiver receiver, List<String> jobIds) {
        Set<String> seen = new HashSet<>();
        receiver.deliveries().forEach(d -> seen.add(d.id()));
        List<String> missing = new ArrayList<>();
        for (String jobId : jobIds) {
            if (!seen.contains("msg_" + jobId)) {
                missing.add(jobId + " (webhook " + api.job(jobId).body().get("webhook") + ")");
            }
        }
        return missing;
    }

    private static WebhookReceiver receiver(WebhookReceiver receiver) {
        receivers.add(receiver);
        return receiver;
    }

    private static String job(String topic, String callbackUrl) {
        String input = "{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"" + topic + " " + UUID.randomUUID()
                .toString().substring(0, 8) + "\"}";
        return callbackUrl == null ? input + "}" : input + ",\"callbackUrl\":\"" + callbackUrl + "\"}";
    }

    /** The Standard Webhooks check: one of the header's {@code v1,} signatures is HMAC-SHA256(id.timestamp.body). */
    private static boolean verifies(String secret, Delivery delivery, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((delivery.id() + "." + delivery.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String signature : delivery.signature().split(" ")) {
            if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(Base64.getDecoder().decode(signature.substring(3)), expected)) {
                return true;
            }
        }
        return false;
    }
}
