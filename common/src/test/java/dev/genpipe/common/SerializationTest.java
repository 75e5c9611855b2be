package dev.genpipe.common;

import static dev.genpipe.common.JobFixtures.aSubtopicsRequest;
import static dev.genpipe.common.JobFixtures.anExplanationRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.view.JobView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SerializationTest {

    private final JsonSerde<JobRequested> requests = JsonSerde.of(JobRequested.class);
    private final JsonSerde<JobEvent> events = JsonSerde.of(JobEvent.class);

    @Test
    void requestsRoundTripWithTheirTypedInput() {
        JobRequested request = anExplanationRequest("Rust", "Ownership");
        byte[] bytes = requests.serialize("t", request);

        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"schema\":1", "\"type\":\"EXPLANATION\"", "\"subtopic\":\"Ownership\"");
        JobRequested back = requests.deserialize("t", bytes);
        assertThat(back).isEqualTo(request);
        assertThat(back.input()).isInstanceOf(ExplanationInput.class);
    }

    @Test
    void aRequestCarriesItsLaneAndOneWrittenBeforeLanesIsInteractive() {
        JobRequested plain = aSubtopicsRequest("Kafka");
        JobRequested bulk = new JobRequested(plain.jobId(), plain.input(), plain.requestedAt(), "c",
                dev.genpipe.common.job.Priority.BULK);
        String json = new String(requests.serialize("t", bulk), StandardCharsets.UTF_8);
        assertThat(json).contains("\"priority\":\"bulk\"");
        assertThat(requests.deserialize("t", json.getBytes(StandardCharsets.UTF_8))).isEqualTo(bulk);
        assertThat(bulk.priority().topic()).isEqualTo("genpipe.jobs.bulk");

        String older = new String(requests.serialize("t", plain), StandardCharsets.UTF_8)
                .replace(",\"priority\":\"interactive\"", "");
        assertThat(older).doesNotContain("priority");
        assertThat(requests.deserialize("t", older.getBytes(StandardCharsets.UTF_8)).priority())
                .isEqualTo(dev.genpipe.common.job.Priority.INTERACTIVE);
        assertThat(JobRequested.child(bulk, 0, new ExplanationInput("Kafka", "Logs"), plain.requestedAt()).priority())
                .as("a presentation's sections go in its lane").isEqualTo(dev.genpipe.common.job.Priority.BULK);
    }

    @Test
    void eventsRoundTripPolymorphically() {
        JobRequested request = aSubtopicsRequest("Kafka");
        JobId id = request.jobId();
        List<JobEvent> all = List.of(
                JobQueued.of(request),
                new JobStarted(id, request.requestedAt(), "worker-1"),
                new JobSucceeded(id, request.requestedAt(), new JobResult.Subtopics(List.of("Brokers", "Topics")),
                        true, TokenUsage.of(3, 4), "gemini-2.5-flash"),
                new JobFailed(id, request.requestedAt(), "invalid_request", "Gemini refused the prompt"));
        for (JobEvent event : all) {
            assertThat(events.deserialize("t", events.serialize("t", event))).isEqualTo(event);
        }
    }

    @Test
    void theWireSerializerWritesEventsWithTheirKind() {
        JobRequested request = aSubtopicsRequest("Kafka");
        byte[] bytes = new dev.genpipe.common.kafka.WireSerializer().serialize("t", JobQueued.of(request));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"event\":\"queued\"");
        assertThat(events.deserialize("t", bytes)).isEqualTo(JobQueued.of(request));
        byte[] req = new dev.genpipe.common.kafka.WireSerializer().serialize("t", request);
        assertThat(requests.deserialize("t", req)).isEqualTo(request);
    }

    @Test
    void poolMessagesRoundTrip() {
        var status = new dev.genpipe.common.pool.WorkerStatus("w1", java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.time.Duration.ofSeconds(5), "OPEN", java.time.Instant.parse("2026-01-01T00:00:00Z"), 100f, true,
                java.time.Duration.ofMillis(1500), 3, 256);
        var statuses = JsonSerde.of(dev.genpipe.common.pool.WorkerStatus.class);
        assertThat(statuses.deserialize("t", statuses.serialize("t", status))).isEqualTo(status);
        var command = dev.genpipe.common.pool.WorkerCommand.of(dev.genpipe.common.pool.WorkerCommand.Kind.RESET_CIRCUIT_BREAKER);
        var commands = JsonSerde.of(dev.genpipe.common.pool.WorkerCommand.class);
        assertThat(commands.deserialize("t", commands.serialize("t", command))).isEqualTo(command);
        assertThat(status.isLive(status.at().plusSeconds(14))).isTrue();
        assertThat(status.isLive(status.at().plusSeconds(15))).isFalse();
    }

    @Test
    void viewsRoundTrip() {
        JobRequested request = aSubtopicsRequest("Kafka");
        JobView view = JobView.of(JobQueued.of(request)).apply(new JobStarted(request.jobId(), request.requestedAt(), "w"));
        JsonSerde<JobView> views = JsonSerde.of(JobView.class);
        assertThat(views.deserialize("t", views.serialize("t", view))).isEqualTo(view);
    }

    @Test
    void ignoresFieldsAddedByNewerProducersOfTheSameSchema() {
        String json = "{\"schema\":1,\"event\":\"started\",\"jobId\":\"" + JobId.random()
                + "\",\"at\":\"2026-01-01T00:00:00Z\",\"workerId\":\"w\",\"somethingNew\":42}";
        assertThat(events.deserialize("t", json.getBytes(StandardCharsets.UTF_8))).isInstanceOf(JobStarted.class);
    }

    @Test
    void writesTheSchemaFirstAndReadsItWhereverAnotherWriterPutIt() {
        JobStarted started = new JobStarted(JobId.random(), java.time.Instant.parse("2026-01-01T00:00:00Z"), "w");
        String written = new String(events.serialize("t", started), StandardCharsets.UTF_8);
        assertThat(written).startsWith("{\"schema\":1,\"event\":\"started\",");

        String schemaLast = "{\"event\":\"started\",\"jobId\":\"" + started.jobId()
                + "\",\"at\":\"2026-01-01T00:00:00Z\",\"workerId\":\"w\",\"schema\":1}";
        assertThat(events.deserialize("t", schemaLast.getBytes(StandardCharsets.UTF_8))).isEqualTo(started);
        String futureLast = schemaLast.replace("\"schema\":1", "\"schema\":7");
        assertThatThrownBy(() -> events.deserialize("t", futureLast.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("schema version 7");
        String none = schemaLast.replace(",\"schema\":1", "");
        assertThatThrownBy(() -> events.deserialize("t", none.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("schema version 0");
    }

    @Test
    void refusesUnknownSchemasAndGarbage() {
        String future = "{\"schema\":99,\"event\":\"started\"}";
        assertThatThrownBy(() -> events.deserialize("t", future.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("schema version 99");
        assertThatThrownBy(() -> events.deserialize("t", new byte[] {(byte) 0xff, 0x00, 0x13}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> requests.deserialize("t", "{\"schema\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void jobIdsAreRandomUuidsAndParseStrictly() {
        JobId id = JobId.random();
        assertThat(id.value().version()).isEqualTo(4);
        assertThat(JobId.parse(id.toString())).contains(id);
        assertThat(JobId.parse("not-a-uuid")).isEmpty();
        assertThat(JobId.parse("1-1-1-1-1")).isEmpty();
        assertThat(JobId.parse(null)).isEmpty();
    }

    @Test
    void identicalRequestsShareAFingerprint() {
        JobRequested a = aSubtopicsRequest("  Machine   Learning ");
        JobRequested b = aSubtopicsRequest("machine learning");
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).hasSize(64);
        assertThat(a.fingerprint()).isNotEqualTo(aSubtopicsRequest("deep learning").fingerprint());
    }
}
