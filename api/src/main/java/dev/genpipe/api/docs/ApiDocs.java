package dev.genpipe.api.docs;

import static java.util.Map.entry;
import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
import static org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
import static org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.genpipe.api.edge.EdgeSecurity;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The HTTP API described as OpenAPI 3.1: {@code /v3/api-docs}, browsable at {@code /swagger-ui.html}. springdoc
 * derives paths, parameters and response bodies from the controllers (a tag and a summary each, and the success codes
 * that are not 200); this adds what the code does not say in a way springdoc reads:
 * <ul>
 *   <li>who may call what: the security schemes, applied by {@link EdgeSecurity}'s own path patterns;</li>
 *   <li>the {@code application/problem+json} (RFC 9457) answers of each operation, one {@code Problem} schema;</li>
 *   <li>the request bodies, which the controllers read as JSON trees;</li>
 *   <li>the event streams' media type ({@code text/event-stream}) and their events.</li>
 * </ul>
 * A table entry that names no documented operation makes {@code /v3/api-docs} fail, so the tables cannot drift from
 * the controllers unnoticed; {@code OpenApiIntegrationTest} holds the description against the README's endpoint table.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocs {

    static final String PROBLEM = "Problem";
    private static final Pattern REF = Pattern.compile("\"#/components/schemas/([^\"]+)\"");
    static final String API_KEY = "apiKey";
    static final String API_KEY_BEARER = "apiKeyBearer";
    static final String ADMIN_TOKEN = "adminToken";
    static final String ADMIN_TOKEN_HEADER = "adminTokenHeader";

    /** The problem answers of each operation, besides the credentials' 401 and 403 (from the security chain). */
    static final Map<String, List<Integer>> PROBLEMS = Map.ofEntries(
            entry("POST /api/jobs", List.of(400, 413, 415, 422, 429, 503)),
            entry("GET /api/jobs", List.of(400, 503)),
            entry("GET /api/jobs/{id}", List.of(404, 503)),
            entry("DELETE /api/jobs/{id}", List.of(404, 409, 503)),
            entry("GET /api/jobs/{id}/events", List.of(404, 429, 503)),
            entry("GET /api/jobs/events", List.of(429)),
            entry("POST /api/create_subtopics", List.of(400, 413, 415, 429, 502, 503, 504)),
            entry("GET /api/circuit-breaker/state", List.of(503)),
            entry("POST /api/circuit-breaker/reset", List.of(503)),
            entry("POST /api/cache/clear", List.of(503)));

    private static final Map<Integer, String> PROBLEM_MEANING = Map.ofEntries(
            entry(400, "Invalid request: the detail names the fields, `errors` lists `{field, message}`"),
            entry(403, "A wrong admin token, or the admin endpoints are off (no `GENPIPE_ADMIN_TOKEN` configured)"),
            entry(404, "No such job: also a malformed id or another client's job (ids cannot be probed)"),
            entry(409, "The job already ended"),
            entry(413, "The request body is over the limit (64 KiB by default)"),
            entry(415, "The body is not `application/json`"),
            entry(422, "The `Idempotency-Key` was already used for a different request"),
            entry(429, "Over the client's submit rate, daily token budget or open streams; `Retry-After` says when "
                    + "to try again"),
            entry(502, "The job failed: the detail says why, `jobId` names it"),
            entry(503, "Kafka is unreachable or the job state is still loading: nothing was written; `Retry-After`"),
            entry(504, "Not done after 30 s: `jobId` and `Location` name the job to follow"));

    private static final String NO_API_KEY = "No or an unknown API key; `WWW-Authenticate: Bearer realm=\"genpipe\"`";
    private static final String NO_ADMIN_TOKEN = "No admin token; `WWW-Authenticate: Bearer realm=\"genpipe-admin\"`";

    /** The event streams, and what each one carries. */
    static final Map<String, String> STREAMS = Map.of(
            "GET /api/jobs/{id}/events", "The job's events, one frame per state change (`id:` its sequence number, "
                    + "`retry: 3000` first); it closes after the terminal event. Reconnect with `Last-Event-ID` "
                    + "(or `?lastEventId=`) to get exactly what was missed.",
            "GET /api/jobs/events", "The events of all the caller's jobs on one connection, live from the moment it "
                    + "is open; each frame's data names its `jobId` and `seq`, and there are no `id:` lines (a mixed "
                    + "stream cannot be resumed). Counts as one of the client's streams.");

    private static final String EVENTS = """

            Frames are `event: <kind>` and `data: <one line of JSON>` with `jobId`, `seq`, `status`, `at` and the \
            kind's fields; comment lines are heartbeats. Kinds: `queued` (`type`), `started` (`workerId`), \
            `requeued` (`reason`: another attempt follows), `delta` (`text`: a chunk of an explanation as Gemini \
            writes it), `planned` (a presentation's `subtopics` and section job ids), `section` (`completed` of \
            `total`, and the section), `succeeded` (`result`, `cached`, `model`, `usage`), `failed` (`code`, \
            `reason`), `cancelled` (`reason`).""";

    /** The request bodies, by operation: schema names of the components. */
    private static final Map<String, String> BODIES = Map.of(
            "POST /api/jobs", "JobRequest",
            "POST /api/create_subtopics", "SubtopicsInput");

    private static final Map<String, String> PARAMETERS = Map.of(
            "Idempotency-Key", "Makes the submit safe to repeat: the same key (per client) gives the same job "
                    + "(`Idempotent-Replayed: true`); the key with another request is `422`. Wins over the body's "
                    + "`idempotencyKey`.",
            "Prefer", "`wait=N` (RFC 7240, N ≤ 30): wait up to N s for the job to end; `200` with the finished job "
                    + "if it does, otherwise the usual `202`; both say `Preference-Applied`.",
            "Last-Event-ID", "Resume after this event (a browser's `EventSource` sends it when it reconnects)",
            "lastEventId", "The same as `Last-Event-ID`, for clients that cannot set headers (the header wins)",
            "id", "The job id (a UUID)",
            "status", "Only jobs with this status: " + Arrays.toString(JobStatus.values()),
            "type", "Only jobs of this type: " + Arrays.toString(JobType.values()),
            "limit", "Jobs per page, 1–100 (default 20)",
            "cursor", "The `next` of the previous page");

    @Bean
    OpenAPI genpipeApi() {
        return new OpenAPI()
                .servers(List.of(new Server().url("/").description("This API")))
                .info(new Info().title("GenPipe API").version("v1").description("""
                        Durable asynchronous Gemini generation jobs: submit a job, poll it or follow its events, \
                        list your jobs; the original app's synchronous endpoint; health, metrics and the workers' \
                        administration. Every error is `application/problem+json` (RFC 9457)."""))
                .tags(List.of(
                        new Tag().name("jobs").description("Submit, read, list and cancel jobs (an API key)"),
                        new Tag().name("events").description("Jobs' events as Server-Sent Events (an API key)"),
                        new Tag().name("compat").description("The original app's synchronous endpoint (an API key)"),
                        new Tag().name("health").description("Health and metrics (public)"),
                        new Tag().name("admin").description("The workers' circuit breakers and cache (admin token)")))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key").description("A client's API key"))
                        .addSecuritySchemes(API_KEY_BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("The same API key as `Authorization: Bearer <key>`"))
                        .addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("The admin token (`GENPIPE_ADMIN_TOKEN`)"))
                        .addSecuritySchemes(ADMIN_TOKEN_HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-Admin-Token")
                                .description("The admin token in a header of its own")));
    }

    @Bean
    OpenApiCustomizer genpipeOperations() {
        return ApiDocs::describe;
    }

    static void describe(OpenAPI api) {
        expect(api, PROBLEMS.keySet());
        expect(api, STREAMS.keySet());
        expect(api, BODIES.keySet());
        api.getComponents().addSchemas(PROBLEM, problemSchema()).addSchemas("JobRequest", jobRequestSchema());
        List<PathPattern> jobPaths = patterns(EdgeSecurity.JOB_PATHS);
        List<PathPattern> adminPaths = patterns(EdgeSecurity.ADMIN_PATHS);
        forEachOperation(api, (key, operation) -> {
            String path = key.substring(key.indexOf(' ') + 1);
            Map<Integer, String> problems = new TreeMap<>();
            if (matches(jobPaths, path)) {
                operation.setSecurity(List.of(requirement(API_KEY), requirement(API_KEY_BEARER)));
                problems.put(401, NO_API_KEY);
            } else if (matches(adminPaths, path)) {
                operation.setSecurity(List.of(requirement(ADMIN_TOKEN), requirement(ADMIN_TOKEN_HEADER)));
                problems.put(401, NO_ADMIN_TOKEN);
                problems.put(403, PROBLEM_MEANING.get(403));
            }
            PROBLEMS.getOrDefault(key, List.of()).forEach(status -> problems.put(status, PROBLEM_MEANING.get(status)));
            problems.forEach((status, meaning) -> operation.getResponses().addApiResponse(Integer.toString(status),
                    problem(meaning)));
            if (STREAMS.containsKey(key)) {
                operation.getResponses().addApiResponse("200", new ApiResponse().description(STREAMS.get(key) + EVENTS)
                        .content(content(TEXT_EVENT_STREAM_VALUE, new JsonSchema().types(Set.of("string")))));
            }
            if (BODIES.containsKey(key)) {
                operation.setRequestBody(new RequestBody().required(true)
                        .content(content(APPLICATION_JSON_VALUE, ref(BODIES.get(key)))));
            }
            if (operation.getParameters() != null) {
                operation.getParameters().stream().filter(parameter -> parameter.getDescription() == null)
                        .forEach(parameter -> parameter.setDescription(PARAMETERS.get(parameter.getName())));
            }
            operation.setResponses(byStatus(operation.getResponses()));
        });
        dropUnreferencedSchemas(api);
    }

    /** Drops the schemas nothing refers to any more: those of the JSON trees and emitters this replaced. */
    private static void dropUnreferencedSchemas(OpenAPI api) {
        Set<String> referenced;
        do {
            referenced = new HashSet<>();
            Matcher ref = REF.matcher(json(api));
            while (ref.find()) {
                referenced.add(ref.group(1));
            }
        } while (api.getComponents().getSchemas().keySet().retainAll(referenced));
    }

    /** RFC 9457's members; a problem may carry more (extension members such as {@code errors} or {@code jobId}). */
    static Schema<Object> problemSchema() {
        return object().description("A problem (RFC 9457), the body of every error: `application/problem+json`")
                .addProperty("type", string("A URI reference that identifies the problem type; `about:blank` when "
                        + "the status says it all").format("uri-reference")._default("about:blank"))
                .addProperty("title", string("A short summary of the problem type, the status's reason phrase by "
                        + "default"))
                .addProperty("status", new JsonSchema().types(Set.of("integer")).format("int32").minimum(
                        java.math.BigDecimal.valueOf(400)).maximum(java.math.BigDecimal.valueOf(599))
                        .description("The HTTP status code"))
                .addProperty("detail", string("What went wrong with this request"))
                .addProperty("instance", string("The request's path").format("uri-reference"))
                .required(List.of("type", "title", "status"));
    }

    /** The body of a submit; the inputs' schemas come from {@code JobResponse}'s {@code input}. */
    static Schema<Object> jobRequestSchema() {
        return object().description("A job to run")
                .addProperty("type", string("What to generate; case does not matter")._enum(names(JobType.values())))
                .addProperty("input", new JsonSchema().description("The input of the type: SUBTOPICS `{topic, "
                        + "count?}` (count 1–12, default 5); EXPLANATION `{topic, subtopic, level?}` (level beginner, "
                        + "intermediate or advanced); PRESENTATION `{topic, sections?, level?}` (sections 1–12). "
                        + "Texts are at most 200 characters without control or invisible formatting characters.")
                        .oneOf(List.of(ref("SubtopicsInput"), ref("ExplanationInput"), ref("PresentationInput"))))
                .addProperty("idempotencyKey", string("As the `Idempotency-Key` header (which wins)"))
                .required(List.of("type", "input"));
    }

    private static ApiResponses byStatus(ApiResponses responses) {
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        return sorted;
    }

    private static Content content(String mediaType, Schema<?> schema) {
        return new Content().addMediaType(mediaType, new MediaType().schema(schema));
    }

    private static List<Object> names(Enum<?>[] values) {
        return Arrays.stream(values).map(value -> (Object) value.name()).toList();
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(content(APPLICATION_PROBLEM_JSON_VALUE,
                ref(PROBLEM)));
    }

    private static void forEachOperation(OpenAPI api, BiConsumer<String, Operation> action) {
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                action.accept(method + " " + path, operation)));
    }

    /** Fails when a table names an operation the description does not have. */
    private static void expect(OpenAPI api, Set<String> keys) {
        Map<String, Operation> operations = new LinkedHashMap<>();
        forEachOperation(api, operations::put);
        List<String> unknown = keys.stream().filter(key -> !operations.containsKey(key)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("the API description has no operation " + unknown);
        }
    }

    private static String json(OpenAPI api) {
        try {
            return Json31.mapper().writeValueAsString(api);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the API description does not serialise", e);
        }
    }

    private static List<PathPattern> patterns(List<String> patterns) {
        return patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    private static boolean matches(List<PathPattern> patterns, String path) {
        PathContainer container = PathContainer.parsePath(path);
        return patterns.stream().anyMatch(pattern -> pattern.matches(container));
    }

    private static SecurityRequirement requirement(String scheme) {
        return new SecurityRequirement().addList(scheme);
    }

    private static Schema<Object> ref(String schema) {
        return new JsonSchema().$ref("#/components/schemas/" + schema);
    }

    private static Schema<Object> object() {
        return new JsonSchema().types(Set.of("object"));
    }

    private static Schema<Object> string(String description) {
        return new JsonSchema().types(Set.of("string")).description(description);
    }
}
