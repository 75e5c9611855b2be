package dev.genpipe.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.genpipe.api.clients.ClientSettings;
import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.edge.EdgeSecurity;
import dev.genpipe.api.status.JobStateLoading;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.api.clients.Client;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.job.Fingerprints;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.view.JobView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import dev.genpipe.api.webhooks.Callbacks;
import dev.genpipe.api.webhooks.WebhookSettings;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The HTTP contract of the job endpoints: validation and problem responses (Kafka and the store are stubbed). */
@WebMvcTest(controllers = {JobController.class, JobEventsController.class},
        properties = {"spring.config.name=genpipe-api", "genpipe.clients.open-access=true"})
// the slice skips @ConfigurationPropertiesScan
@EnableConfigurationProperties({ApiSettings.class, ClientSettings.class, WebhookSettings.class})
@Import({EdgeSecurity.class, IdempotencyKeys.class, dev.genpipe.api.clients.SubmitRateLimits.class, JobIntake.class,
        Callbacks.class})
class JobApiWebTest {

    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    @Autowired
    MockMvc mvc;

    @MockitoBean
    JobSubmitter submitter;

    @MockitoBean
    JobViews views;

    @MockitoBean
    JobEventStreams streams;

    @MockitoBean
    dev.genpipe.api.clients.DailyTokenBudget budget;

    @Test
    void acceptsValidJobWith202AndLocation() throws Exception {
        when(submitter.submit(any(), any(), any(), any(), any(), any())).thenAnswer(call ->
                new JobRequested(call.getArgument(0), call.<JobInput>getArgument(1), Instant.now(), "anonymous"));

        submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis","count":5}}""")
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", containsString("/api/jobs/")))
                .andExpect(jsonPath("$.status").value("QUEUED"))
                .andExpect(jsonPath("$.jobId").isString())
                .andExpect(jsonPath("$.links.events").value(containsString("/events")));
        verify(submitter).submit(any(), org.mockito.ArgumentMatchers.eq(new SubtopicsInput("Photosynthesis", 5)),
                org.mockito.ArgumentMatchers.isNull(), org.mockito.ArgumentMatchers.eq(Priority.INTERACTIVE),
                org.mockito.ArgumentMatchers.isNull(), org.mockito.ArgumentMatchers.eq(dev.genpipe.api.clients.Client.ANONYMOUS));
    }

    @Test
    void aCallbackUrlWhileWebhooksAreOffIsA400NamingTheSetting() throws Exception {
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"callbackUrl":"https://hooks.example.com/x"}"""),
                400)
                .andExpect(jsonPath("$.errors[0].field").value("callbackUrl"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("GENPIPE_WEBHOOK_ALLOWED_HOSTS")));
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"callbackUrl":42}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("callbackUrl"));
        verify(submitter, never()).submit(any(), any(), any(), any(), any(), any());
    }

    @Test
    void acceptsABulkJobIntoTheBulkLaneAndRefusesAnUnknownPriority() throws Exception {
        when(submitter.submit(any(), any(), any(), any(), any(), any())).thenAnswer(call -> new JobRequested(call.getArgument(0),
                call.<JobInput>getArgument(1), Instant.now(), "anonymous", null, call.getArgument(3)));

        submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"priority":"bulk"}""")
                .andExpect(status().isAccepted());
        verify(submitter).submit(any(), any(), any(), org.mockito.ArgumentMatchers.eq(Priority.BULK), any(), any());

        submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"priority":"urgent"}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("priority"))
                .andExpect(jsonPath("$.errors[0].message").value("must be one of interactive, bulk"));
        submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"priority":1}""")
                .andExpect(status().isBadRequest());
        verify(submitter, org.mockito.Mockito.times(1)).submit(any(), any(), any(), any(), any(), any());
    }

    @Test
    void carriesAllowFallbackAndRejectsOneThatIsNotABoolean() throws Exception {
        when(submitter.submit(any(), any(), any(), any(), any(), any())).thenAnswer(call ->
                new JobRequested(call.getArgument(0), call.<JobInput>getArgument(1), Instant.now(), "anonymous"));

        submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"allowFallback":false}""")
                .andExpect(status().isAccepted());
        verify(submitter).submit(any(), any(), any(), any(), org.mockito.ArgumentMatchers.eq(Boolean.FALSE), any());

        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"},"allowFallback":"yes"}"""), 400)
                .andExpect(jsonPath("$.detail").value(containsString("allowFallback")));
    }

    @Test
    void rejectsAMalformedIdempotencyKeyNamingTheHeader() throws Exception {
        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "has spaces")
                        .content("""
                                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
    }

    @Test
    void answersAReusedIdempotencyKeyWithADifferentRequestWith422() throws Exception {
        when(views.peek(any())).thenAnswer(call -> java.util.Optional.of(dev.genpipe.common.view.JobView.of(
                dev.genpipe.common.event.JobQueued.of(new JobRequested(call.getArgument(0),
                        new SubtopicsInput("Something else"), Instant.now(), "anonymous")))));

        mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k-1")
                        .content("""
                                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"}}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        verify(submitter, never()).submit(any(), any(), any(), any(), any(), any());
    }

    @Test
    void acceptsExplanationJob() throws Exception {
        when(submitter.submit(any(), any(), any(), any(), any(), any())).thenAnswer(call ->
                new JobRequested(call.getArgument(0), call.<JobInput>getArgument(1), Instant.now(), "anonymous"));

        submit("""
                {"type":"EXPLANATION","input":{"topic":"Rust","subtopic":"Ownership","level":"beginner"}}""")
                .andExpect(status().isAccepted());
    }

    @Test
    void rejectsMalformedJson() throws Exception {
        expectProblem(submit("{\"type\": \"SUBTOPICS\", "), 400)
                .andExpect(jsonPath("$.detail").value("request body is not valid JSON"));
        verify(submitter, never()).submit(any(), any(), any(), any(), any(), any());
    }

    @Test
    void rejectsMissingTopic() throws Exception {
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"count":5}}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("input.topic"))
                .andExpect(jsonPath("$.errors[0].message").value("must not be blank"))
                .andExpect(jsonPath("$.detail").value(containsString("input.topic")));
        verify(submitter, never()).submit(any(), any(), any(), any(), any(), any());
    }

    @Test
    void rejectsUnknownTypeListingTheAllowedOnes() throws Exception {
        expectProblem(submit("""
                {"type":"POEM","input":{"topic":"Rust"}}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("type"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("SUBTOPICS, EXPLANATION")));
    }

    @Test
    void rejectsMissingType() throws Exception {
        expectProblem(submit("""
                {"input":{"topic":"Rust"}}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("type"));
    }

    @Test
    void rejectsBlankSubtopic() throws Exception {
        expectProblem(submit("""
                {"type":"EXPLANATION","input":{"topic":"Rust","subtopic":"   "}}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("input.subtopic"));
    }

    @Test
    void rejectsInputOfTheWrongShape() throws Exception {
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"topic":"Rust","count":"many"}}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("input.count"));
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":"Rust"}"""), 400)
                .andExpect(jsonPath("$.errors[0].field").value("input"));
    }

    @Test
    void rejectsBodyOverTheLimitWith413() throws Exception {
        String huge = "{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        expectProblem(submit(huge), 413)
                .andExpect(jsonPath("$.detail").value(containsString("65536")));
        verify(submitter, never()).submit(any(), any(), any(), any(), any(), any());
    }

    @Test
    void rejectsWrongContentTypeWith415() throws Exception {
        expectProblem(mvc.perform(post("/api/jobs").contentType(MediaType.TEXT_PLAIN).content("hello")), 415);
    }

    @Test
    void rejectsWrongMethodWith405() throws Exception {
        expectProblem(mvc.perform(delete("/api/jobs")), 405);
    }

    @Test
    void answersUnknownPathWith404() throws Exception {
        expectProblem(mvc.perform(get("/api/nothing-here")), 404)
                .andExpect(jsonPath("$.detail").value("no such resource"));
    }

    @Test
    void answersMalformedIdWith404() throws Exception {
        expectProblem(mvc.perform(get("/api/jobs/not-a-job-id")), 404);
        expectProblem(mvc.perform(get("/api/jobs/not-a-job-id/events")), 404);
        verify(views, never()).find(any());
    }

    @Test
    void answersUnknownIdWith404() throws Exception {
        when(views.find(any())).thenReturn(Optional.empty());
        expectProblem(mvc.perform(get("/api/jobs/" + JobId.random())), 404);
        expectProblem(mvc.perform(get("/api/jobs/" + JobId.random() + "/events")), 404);
    }

    @Test
    void answers503WhileJobStateIsLoading() throws Exception {
        when(views.find(any())).thenThrow(new JobStateLoading());
        expectProblem(mvc.perform(get("/api/jobs/" + JobId.random())), 503)
                .andExpect(jsonPath("$.detail").value("job state is still loading"))
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void answers503WhenKafkaIsUnreachable() throws Exception {
        when(submitter.submit(any(), any(), any(), any(), any(), any())).thenThrow(new KafkaUnavailable(new RuntimeException("timeout")));
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"topic":"Rust"}}"""), 503)
                .andExpect(jsonPath("$.detail").value(KafkaUnavailable.DETAIL))
                .andExpect(header().string("Retry-After", "5"));
    }

    @Test
    void hidesUnexpectedErrorsBehindGeneric500() throws Exception {
        when(submitter.submit(any(), any(), any(), any(), any(), any())).thenThrow(new IllegalStateException("secret internals"));
        expectProblem(submit("""
                {"type":"SUBTOPICS","input":{"topic":"Rust"}}"""), 500)
                .andExpect(content().string(not(containsString("secret"))))
                .andExpect(content().string(not(containsString("IllegalStateException"))));
    }

    @Test
    void showsSucceededJob() throws Exception {
        JobRequested request = new JobRequested(JobId.random(), new SubtopicsInput("Rust", 3), Instant.now(),
                "anonymous");
        Instant now = Instant.now();
        JobView view = JobView.of(JobQueued.of(request))
                .apply(new JobStarted(request.jobId(), now, "worker-1"))
                .apply(new JobSucceeded(request.jobId(), now, new JobResult.Subtopics(List.of("a", "b", "c")),
                        false, TokenUsage.of(10, 20), "gemini-test"));
        when(views.find(request.jobId())).thenReturn(Optional.of(view));

        mvc.perform(get("/api/jobs/" + request.jobId()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobId").value(request.jobId().toString()))
                .andExpect(jsonPath("$.type").value("SUBTOPICS"))
                .andExpect(jsonPath("$.input.topic").value("Rust"))
                .andExpect(jsonPath("$.status").value("SUCCEEDED"))
                .andExpect(jsonPath("$.attempts").value(1))
                .andExpect(jsonPath("$.result.kind").value("subtopics"))
                .andExpect(jsonPath("$.result.subtopics[2]").value("c"))
                .andExpect(jsonPath("$.usage.totalTokens").value(30))
                .andExpect(jsonPath("$.error").isEmpty())
                .andExpect(jsonPath("$.createdAt").value(request.requestedAt().toString()))
                .andExpect(jsonPath("$.links.self").value("/api/jobs/" + request.jobId()));
    }

    /** Who may use the job endpoints: the security chain's client side, with API keys and open access off. */
    @Nested
    @TestPropertySource(properties = {
            "genpipe.clients.open-access=false",
            "genpipe.clients.api-keys=alice:" + WithApiKeys.ALICE_KEY_SHA256,
            "genpipe.api.admin-token=" + WithApiKeys.ADMIN_TOKEN})
    class WithApiKeys {

        static final String ALICE_KEY = "gpk-alice-0123456789abcdef";
        static final String ALICE_KEY_SHA256 = "202936cce73f0190a23ca7771be5a21981163a29d3243ed1ad70f200aa0a780d";
        static final String ADMIN_TOKEN = "job-access-admin-token";
        private static final String CHALLENGE = "Bearer realm=\"genpipe\"";
        private static final String JOB = """
                {"type":"SUBTOPICS","input":{"topic":"Photosynthesis"}}""";

        @Test
        void refusesAJobWithoutAKeyWith401ProblemAndAChallenge() throws Exception {
            expectRefused(mvc.perform(submit()));
            expectRefused(mvc.perform(get("/api/jobs/" + JobId.random())));
            expectRefused(mvc.perform(get("/api/jobs/events")));
            verifyNoInteractions(submitter, views);
            verify(streams, never()).openForClient(any());
        }

        @Test
        void refusesAnUnknownKeyTheAdminTokenAndOtherSchemesWith401() throws Exception {
            expectRefused(mvc.perform(submit().header("X-API-Key", "gpk-guessed")))
                    .andExpect(content().string(not(containsString("gpk-guessed"))));
            expectRefused(mvc.perform(submit().header("Authorization", "Bearer " + ADMIN_TOKEN)));
            expectRefused(mvc.perform(submit().header("Authorization", "Basic " + ALICE_KEY)));
            verifyNoInteractions(submitter);
        }

        @Test
        void acceptsTheKeyInEitherHeaderAsItsClient() throws Exception {
            when(submitter.submit(any(), any(), any(), any(), any(), any())).thenAnswer(call ->
                    new JobRequested(call.getArgument(0), call.<JobInput>getArgument(1), Instant.now(), "alice"));

            mvc.perform(submit().header("X-API-Key", ALICE_KEY)).andExpect(status().isAccepted());
            mvc.perform(submit().header("Authorization", "bearer " + ALICE_KEY)).andExpect(status().isAccepted());

            verify(submitter, times(2)).submit(any(), any(), any(), any(), any(), eq(new Client("alice")));
        }

        @Test
        void leavesPublicPathsOpenEvenWithABadCredential() throws Exception {
            mvc.perform(get("/api/nothing-here").header("X-API-Key", "gpk-guessed"))
                    .andExpect(status().isNotFound());
        }

        @Test
        void neverOpensASessionOrSetsACookie() throws Exception {
            when(submitter.submit(any(), any(), any(), any(), any(), any())).thenAnswer(call ->
                    new JobRequested(call.getArgument(0), call.<JobInput>getArgument(1), Instant.now(), "alice"));
            for (MockHttpServletRequestBuilder request : new MockHttpServletRequestBuilder[] {
                    submit(), submit().header("X-API-Key", "gpk-guessed"), submit().header("X-API-Key", ALICE_KEY),
                    get("/api/nothing-here")}) {
                mvc.perform(request)
                        .andExpect(header().doesNotExist("Set-Cookie"))
                        .andExpect(result -> assertThat(result.getRequest().getSession(false)).as("session").isNull());
            }
        }

        private static MockHttpServletRequestBuilder submit() {
            return post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content(JOB);
        }

        @Test
        void configuresTheHashOfTheKey() {
            assertThat(Fingerprints.sha256(ALICE_KEY)).isEqualTo(ALICE_KEY_SHA256);
        }

        private static ResultActions expectRefused(ResultActions result) throws Exception {
            return result.andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", CHALLENGE))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.status").value(401))
                    .andExpect(jsonPath("$.detail").value(
                            "a valid API key is required (header X-API-Key or Authorization: Bearer)"));
        }
    }

    private ResultActions submit(String json) throws Exception {
        return mvc.perform(post("/api/jobs").contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static ResultActions expectProblem(ResultActions result, int status) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(content().string(not(containsString("\"trace\""))));
    }
}
