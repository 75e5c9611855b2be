package dev.genpipe.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.edge.EdgeSecurity;
import dev.genpipe.api.status.JobStateLoading;
import dev.genpipe.common.pool.WorkerCommand;
import dev.genpipe.common.pool.WorkerStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The HTTP contract of the admin endpoints: token checks, JSON shapes, 503s (the pool and Kafka are stubbed). */
@WebMvcTest(controllers = {CircuitBreakerController.class, CacheController.class},
        properties = "spring.config.name=genpipe-api")
@EnableConfigurationProperties(ApiSettings.class) // the slice skips @ConfigurationPropertiesScan
@Import(EdgeSecurity.class)
class AdminEndpointsWebTest {

    static final String TOKEN = "s3cr3t-admin-token-0123456789";
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    WorkerPool pool;

    @MockitoBean
    WorkerCommands commands;

    static final String ADMIN_REQUESTS = "dev.genpipe.api.pool.AdminEndpointsWebTest#adminRequests";

    static Stream<String> adminRequests() {
        return Stream.of("GET /api/circuit-breaker/state", "POST /api/circuit-breaker/reset", "POST /api/cache/clear");
    }

    /** A fresh request for "METHOD path". */
    static MockHttpServletRequestBuilder request(String request) {
        String[] parts = request.split(" ");
        return parts[0].equals("GET") ? get(parts[1]) : post(parts[1]);
    }

    @BeforeEach
    void twoWorkers() {
        WorkerStatus closed = new WorkerStatus("worker-a", NOW, Duration.ofSeconds(5), "CLOSED",
                NOW.minusSeconds(60), 12.345f, false, Duration.ofMillis(1500), 3, 256);
        WorkerStatus open = new WorkerStatus("worker-b", NOW, Duration.ofSeconds(5), "OPEN",
                NOW.minusSeconds(10), 80f, true, Duration.ofSeconds(10), 0, 256);
        when(pool.now()).thenReturn(new WorkerPool.Snapshot(PoolState.DEGRADED, List.of(closed, open), NOW));
        when(commands.send(any())).thenAnswer(call -> new WorkerCommand("cmd-1", call.getArgument(0), NOW));
    }

    @Nested
    @TestPropertySource(properties = "genpipe.api.admin-token=" + TOKEN)
    class WithAnAdminTokenConfigured {

        @ParameterizedTest
        @MethodSource(ADMIN_REQUESTS)
        void refusesRequestsWithoutCredentialWith401AndABearerChallenge(String request)
                throws Exception {
            expectProblem(mvc.perform(request(request)), 401)
                    .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"genpipe-admin\""))
                    .andExpect(jsonPath("$.detail").value("admin token required"));
            verifyNoInteractions(pool, commands);
        }

        @ParameterizedTest
        @MethodSource(ADMIN_REQUESTS)
        void refusesAWrongTokenWith403WithoutEchoingIt(String request) throws Exception {
            expectProblem(mvc.perform(request(request).header("Authorization", "Bearer guessed-token")), 403)
                    .andExpect(header().doesNotExist("WWW-Authenticate"))
                    .andExpect(jsonPath("$.detail").value("invalid admin token"))
                    .andExpect(content().string(not(containsString("guessed-token"))))
                    .andExpect(content().string(not(containsString(TOKEN))));
            verifyNoInteractions(pool, commands);
        }

        @Test
        void refusesATokenThatOnlyStartsLikeTheRightOne() throws Exception {
            expectProblem(mvc.perform(get("/api/circuit-breaker/state").header("X-Admin-Token", TOKEN + "x")), 403);
            expectProblem(mvc.perform(get("/api/circuit-breaker/state").header("X-Admin-Token",
                    TOKEN.substring(0, TOKEN.length() - 1))), 403);
        }

        @Test
        void treatsOtherAuthorizationSchemesAsNoCredential() throws Exception {
            expectProblem(mvc.perform(get("/api/circuit-breaker/state").header("Authorization", "Basic " + TOKEN)),
                    401);
        }

        @Test
        void guardsEverySpellingOfAnAdminPath() throws Exception {
            expectProblem(mvc.perform(get(URI.create("/api/circuit%2Dbreaker/state"))), 401);
            expectProblem(mvc.perform(get("/api/circuit-breaker/somewhere-else")), 401);
            expectProblem(mvc.perform(get("/api/cache")), 401);
            verifyNoInteractions(pool, commands);
        }

        @Test
        void showsThePoolWithTheRightBearerToken() throws Exception {
            mvc.perform(get("/api/circuit-breaker/state").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Cache-Control", "no-store"))
                    .andExpect(jsonPath("$.state").value("degraded"))
                    .andExpect(jsonPath("$.checkedAt").value(NOW.toString()))
                    .andExpect(jsonPath("$.workers.length()").value(2))
                    .andExpect(jsonPath("$.workers[0].workerId").value("worker-a"))
                    .andExpect(jsonPath("$.workers[0].state").value("closed"))
                    .andExpect(jsonPath("$.workers[0].since").value(NOW.minusSeconds(60).toString()))
                    .andExpect(jsonPath("$.workers[0].failureRate").value(12.3))
                    .andExpect(jsonPath("$.workers[0].paused").value(false))
                    .andExpect(jsonPath("$.workers[0].pausedTotalMs").value(1500))
                    .andExpect(jsonPath("$.workers[0].inFlight").value(3))
                    .andExpect(jsonPath("$.workers[0].maxInFlight").value(256))
                    .andExpect(jsonPath("$.workers[0].lastSeen").value(NOW.toString()))
                    .andExpect(jsonPath("$.workers[1].workerId").value("worker-b"))
                    .andExpect(jsonPath("$.workers[1].state").value("open"))
                    .andExpect(jsonPath("$.workers[1].paused").value(true));
        }

        @Test
        void acceptsTheTokenInXAdminTokenAndAnyCaseOfBearer() throws Exception {
            mvc.perform(get("/api/circuit-breaker/state").header("X-Admin-Token", TOKEN)).andExpect(status().isOk());
            mvc.perform(get("/api/circuit-breaker/state").header("Authorization", "bearer " + TOKEN))
                    .andExpect(status().isOk());
        }

        @Test
        void neverOpensASessionOrSetsACookie() throws Exception {
            for (MockHttpServletRequestBuilder request : List.of(get("/api/circuit-breaker/state"),
                    get("/api/circuit-breaker/state").header("X-Admin-Token", "guessed"),
                    get("/api/circuit-breaker/state").header("X-Admin-Token", TOKEN))) {
                mvc.perform(request)
                        .andExpect(header().doesNotExist("Set-Cookie"))
                        .andExpect(header().string("Cache-Control", "no-store"))
                        .andExpect(result -> assertThat(result.getRequest().getSession(false)).isNull());
            }
        }

        @Test
        void resetsTheBreakersWith202NamingTheCommandAndTheLiveWorkers() throws Exception {
            mvc.perform(post("/api/circuit-breaker/reset").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isAccepted())
                    .andExpect(jsonPath("$.commandId").value("cmd-1"))
                    .andExpect(jsonPath("$.command").value("RESET_CIRCUIT_BREAKER"))
                    .andExpect(jsonPath("$.workers[0]").value("worker-a"))
                    .andExpect(jsonPath("$.workers[1]").value("worker-b"));
            verify(commands).send(WorkerCommand.Kind.RESET_CIRCUIT_BREAKER);
        }

        @Test
        void clearsTheCacheWith202() throws Exception {
            mvc.perform(post("/api/cache/clear").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isAccepted())
                    .andExpect(jsonPath("$.command").value("CLEAR_CACHE"))
                    .andExpect(jsonPath("$.workers.length()").value(2));
            verify(commands).send(WorkerCommand.Kind.CLEAR_CACHE);
        }

        @Test
        void answers503WhenKafkaDoesNotTakeTheCommand() throws Exception {
            when(commands.send(any())).thenThrow(new CommandNotSent(new RuntimeException("timeout")));
            expectProblem(mvc.perform(post("/api/circuit-breaker/reset").header("Authorization", "Bearer " + TOKEN)),
                    503)
                    .andExpect(header().string("Retry-After", "5"))
                    .andExpect(jsonPath("$.detail")
                            .value("Kafka is unreachable; the command was not sent, retry later"));
        }

        @Test
        void answers503AndSendsNothingWhileTheWorkerStatusIsLoading() throws Exception {
            when(pool.now()).thenThrow(new JobStateLoading());
            expectProblem(mvc.perform(post("/api/circuit-breaker/reset").header("Authorization", "Bearer " + TOKEN)),
                    503);
            verify(commands, never()).send(any());
        }
    }

    @Nested
    class WithoutAnAdminTokenConfigured {

        @ParameterizedTest
        @MethodSource(ADMIN_REQUESTS)
        void refusesEveryoneWith403SayingHowToEnableThem(String request) throws Exception {
            expectProblem(mvc.perform(request(request).header("Authorization", "Bearer anything")), 403)
                    .andExpect(jsonPath("$.detail").value("admin endpoints are disabled: set GENPIPE_ADMIN_TOKEN"));
            expectProblem(mvc.perform(request(request)), 403);
            verifyNoInteractions(pool, commands);
        }
    }

    private static ResultActions expectProblem(ResultActions result, int status) throws Exception {
        return result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(status));
    }
}
