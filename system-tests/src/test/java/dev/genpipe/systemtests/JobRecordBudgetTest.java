package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.kafka.Topics;
import java.util.List;
import tools.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cost of one job, counted on the broker through a consumer of every topic (the workers' heartbeats on
 * {@code genpipe.worker-status} aside: they are per worker, not per job): the record budget of docs/design.md.
 */
class JobRecordBudgetTest {

    private static final Logger log = LoggerFactory.getLogger(JobRecordBudgetTest.class);

    private static GenPipeStack stack;
    private static ApiClient api;
    private static TopicLedger ledger;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        stack.startWorker("worker-1");
        ledger = new TopicLedger(stack.kafka.bootstrapServers());
    }

    @AfterAll
    static void stopSystem() {
        if (ledger != null) {
            ledger.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aUniqueSubtopicsJobWritesAtMostFourRecordsAndNoView() {
        Map<TopicPartition, Long> mark = ledger.mark();
        String jobId = api.submitted("""
                {"type":"SUBTOPICS","input":{"topic":"Budget %s","count":5}}""".formatted(unique()));
        awaitStatus(api, jobId, "SUCCEEDED");

        List<TopicLedger.Entry> written = perJob(ledger.since(mark));
        log.info("one unique SUBTOPICS job wrote {} records, {} bytes: {}", written.size(),
                written.stream().mapToInt(TopicLedger.Entry::bytes).sum(), ledgerOf(written));
        assertThat(written).as(ledgerOf(written)).hasSizeLessThanOrEqualTo(4);
        assertThat(written).extracting(TopicLedger.Entry::topic)
                .containsOnly(Topics.JOBS, Topics.JOB_EVENTS);
        assertThat(written.stream().filter(e -> e.topic().equals(Topics.JOB_EVENTS)).map(TopicLedger.Entry::event)
                .map(e -> e.getClass().getSimpleName())).containsExactly("JobStarted", "JobSucceeded");
        assertThat(written).allSatisfy(e -> assertThat(e.bytes()).as("no record carries a job's history")
                .isLessThan(1500));
    }

    @Test
    void aCacheHitWritesTwoRecordsAndNeverRuns() {
        String body = """
                {"type":"SUBTOPICS","input":{"topic":"Budget hit %s"}}""".formatted(unique());
        awaitStatus(api, api.submitted(body), "SUCCEEDED");
        Map<TopicPartition, Long> mark = ledger.mark();
        String hit = api.submitted(body);
        JsonNode job = awaitStatus(api, hit, "SUCCEEDED");

        List<TopicLedger.Entry> written = perJob(ledger.since(mark));
        assertThat(job.get("cached").asBoolean()).isTrue();
        assertThat(job.get("attempts").asInt()).as("no Gemini call, no attempt").isZero();
        assertThat(written).as(ledgerOf(written)).extracting(e -> e.topic().equals(Topics.JOB_EVENTS)
                ? e.event().getClass().getSimpleName() : e.topic()).containsExactlyInAnyOrder(Topics.JOBS, "JobSucceeded");
    }

    @Test
    void anExplanationWritesBytesLinearInItsText() {
        Map<TopicPartition, Long> mark = ledger.mark();
        String jobId = api.submitted("""
                {"type":"EXPLANATION","input":{"topic":"Budget %s","subtopic":"Linear bytes"}}""".formatted(unique()));
        String markdown = awaitStatus(api, jobId, "SUCCEEDED").at("/result/markdown").asString();

        List<TopicLedger.Entry> written = perJob(ledger.since(mark));
        List<TopicLedger.Entry> deltas = written.stream()
                .filter(e -> e.topic().equals(Topics.JOB_EVENTS) && e.event() instanceof JobDelta).toList();
        int bytes = written.stream().mapToInt(TopicLedger.Entry::bytes).sum();
        log.info("one EXPLANATION of {} characters in {} deltas wrote {} records, {} bytes", markdown.length(),
                deltas.size(), written.size(), bytes);
        assertThat(deltas).as("the explanation was streamed").hasSizeGreaterThan(1);
        assertThat(written).as(ledgerOf(written)).hasSize(3 + deltas.size());
        // each delta carries its own chunk and a fixed envelope, never the text before it
        assertThat(deltas).allSatisfy(d -> assertThat(d.bytes() - ((JobDelta) d.event()).text().length())
                .isLessThan(400));
        assertThat(deltas.stream().map(d -> ((JobDelta) d.event()).text()).collect(Collectors.joining()).strip())
                .isEqualTo(markdown);
        assertThat(bytes).as("the text twice (deltas, result) plus a fixed envelope per record")
                .isLessThan(2 * markdown.length() + 600 * written.size());
    }

    private static List<TopicLedger.Entry> perJob(List<TopicLedger.Entry> entries) {
        return entries.stream().filter(e -> !e.topic().equals(Topics.WORKER_STATUS)).toList();
    }

    private static String ledgerOf(List<TopicLedger.Entry> entries) {
        return entries.stream().map(e -> e.topic() + (e.topic().equals(Topics.JOB_EVENTS)
                ? ":" + e.event().getClass().getSimpleName() : "") + "(" + e.bytes() + " B)")
                .collect(Collectors.joining(", "));
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
