package dev.genpipe.api;

import static dev.genpipe.api.ApiTestSupport.awaitReady;
import static dev.genpipe.api.ApiTestSupport.closeQuietly;
import static dev.genpipe.api.ApiTestSupport.json;
import static dev.genpipe.api.ApiTestSupport.send;
import static dev.genpipe.api.ApiTestSupport.startApi;
import static dev.genpipe.api.ApiTestSupport.startBroker;
import static dev.genpipe.api.ApiTestSupport.uri;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.genpipe.devstack.LocalKafka;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI 3.1 description at {@code /v3/api-docs} against the README's "Using the API" table, and its UI at
 * {@code /swagger-ui.html}; both public with open access off (where a job request without a key is 401). Real
 * in-process Kafka, the API over HTTP.
 */
class OpenApiIntegrationTest {

    private static final Pattern ENDPOINT = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/[^`?\\s]*)");
    private static final Set<String> EVENT_KINDS = Set.of("queued", "started", "requeued", "delta", "planned",
            "section", "succeeded", "failed", "cancelled");
    private static final String PROBLEM = "#/components/schemas/Problem";

    static LocalKafka broker;
    static ConfigurableApplicationContext api;
    static JsonNode description;

    @BeforeAll
    static void start() throws IOException {
        try {
            broker = startBroker();
            api = startApi(broker.bootstrapServers(), "genpipe.clients.open-access=false");
            awaitReady(api);
            HttpResponse<String> docs = anonymous("/v3/api-docs");
            assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
            assertThat(docs.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            Files.writeString(Path.of("target", "openapi.json"), docs.body()); // to read, or to lint
            description = json(docs);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        closeQuietly(api, broker);
    }

    @Test
    void isOpenApi31AndDescribesExactlyTheEndpointsOfTheReadme() throws IOException {
        assertThat(description.get("openapi").asString()).startsWith("3.1");

        Set<String> readme = readmeEndpoints();
        Set<String> described = new TreeSet<>();
        operations().forEach((key, operation) -> described.add(normalised(key)));

        assertThat(readme).as("endpoints in the README's table").isNotEmpty();
        assertThat(described).as("operations in /v3/api-docs (left) against the README's \"Using the API\" table")
                .containsExactlyInAnyOrderElementsOf(readme);
    }

    @Test
    void guardedOperationsDeclareTheirCredentials() {
        JsonNode schemes = description.at("/components/securitySchemes");
        Map.of("/apiKey/type", "apiKey", "/apiKey/in", "header", "/apiKey/name", "X-API-Key",
                "/apiKeyBearer/scheme", "bearer", "/adminToken/scheme", "bearer",
                "/adminTokenHeader/name", "X-Admin-Token").forEach((pointer, expected) ->
                assertThat(schemes.at(pointer).asString()).as(pointer).isEqualTo(expected));

        operations().forEach((key, operation) -> {
            Set<String> security = new TreeSet<>();
            operation.path("security").forEach(requirement -> security.addAll(requirement.propertyNames()));
            String path = key.substring(key.indexOf(' ') + 1);
            if (path.startsWith("/api/jobs") || path.equals("/api/create_subtopics")) {
                assertThat(security).as(key).containsExactly("apiKey", "apiKeyBearer");
                assertThat(operation.at("/responses/401").isMissingNode()).as(key + " 401").isFalse();
            } else if (path.startsWith("/api/circuit-breaker/") || path.startsWith("/api/cache/")) {
                assertThat(security).as(key).containsExactly("adminToken", "adminTokenHeader");
                assertThat(operation.at("/responses/403").isMissingNode()).as(key + " 403").isFalse();
            } else {
                assertThat(security).as(key + " is public").isEmpty();
            }
        });
    }

    @Test
    void errorResponsesAreProblems() {
        JsonNode problem = description.at("/components/schemas/Problem/properties");
        assertThat(problem.propertyNames()).contains("type", "title", "status", "detail", "instance");

        List<String> problems = new ArrayList<>();
        operations().forEach((key, operation) -> operation.get("responses").properties().forEach(response -> {
            int status = Integer.parseInt(response.getKey());
            if (status >= 400 && !key.equals("GET /api/health")) { // health's 503 is the report, unhealthy
                assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asString())
                        .as(key + " " + status).isEqualTo(PROBLEM);
                assertThat(response.getValue().get("content").propertyNames()).as(key + " " + status)
                        .containsExactly("application/problem+json");
                problems.add(key + " " + status);
            }
        }));
        assertThat(problems).contains("POST /api/jobs 400", "POST /api/jobs 422", "POST /api/jobs 503",
                "GET /api/jobs/{id} 404", "DELETE /api/jobs/{id} 409", "POST /api/create_subtopics 502",
                "POST /api/create_subtopics 504", "POST /api/cache/clear 403");
        assertThat(description.at("/paths/~1api~1health/get/responses/503/content/application~1json/schema/$ref")
                .asString()).isEqualTo("#/components/schemas/HealthReport");
    }

    /** Schema names are simple class names: two types of one name would share one schema, one of them wrongly. */
    @Test
    void everySchemaNameStandsForOneType() {
        Map<String, List<String>> typesByName = new TreeMap<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.genpipe.api", "dev.genpipe.common").forEach(type -> typesByName.computeIfAbsent(
                        type.tryGetAnnotationOfType(Schema.class).map(Schema::name).filter(name -> !name.isEmpty())
                                .orElse(type.getSimpleName()), name -> new ArrayList<>()).add(type.getName()));
        description.at("/components/schemas").propertyNames().forEach(name ->
                assertThat(typesByName.getOrDefault(name, List.of())).as("types named " + name).hasSizeLessThan(2));
        assertThat(description.at("/paths/~1api~1create_subtopics/post/responses/200/content/application~1json/schema"
                + "/$ref").asString()).isEqualTo("#/components/schemas/SubtopicsAnswer");
    }

    @Test
    void theEventStreamsAreTextEventStreamsAndNameTheirEvents() {
        for (String path : List.of("/api/jobs/{id}/events", "/api/jobs/events")) {
            JsonNode ok = description.at("/paths/" + path.replace("/", "~1") + "/get/responses/200");
            assertThat(ok.get("content").propertyNames()).as(path).containsExactly("text/event-stream");
            Set<String> named = new TreeSet<>();
            Matcher kind = Pattern.compile("`([a-z]+)` \\(").matcher(ok.get("description").asString());
            while (kind.find()) {
                named.add(kind.group(1));
            }
            assertThat(named).as(path).containsAll(EVENT_KINDS);
        }
        JsonNode finished = description.at("/paths/~1api~1jobs~1{id}~1events/get/responses/204");
        assertThat(finished.isMissingNode()).isFalse();
        assertThat(finished.has("content")).as("a 204 has no body").isFalse();
        assertThat(parameterNames("/api/jobs/{id}/events", "get")).contains("Last-Event-ID");
    }

    @Test
    void submitDescribesItsBodyHeadersAndBothSuccessAnswers() {
        JsonNode submit = description.at("/paths/~1api~1jobs/post");
        assertThat(submit.at("/requestBody/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/JobRequest");
        assertThat(description.at("/components/schemas/JobRequest/properties").propertyNames())
                .contains("type", "input", "idempotencyKey");
        assertThat(submit.at("/responses/202/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/JobAccepted");
        assertThat(submit.at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/JobResponse");
        assertThat(parameterNames("/api/jobs", "post")).contains("Idempotency-Key", "Prefer")
                .doesNotContain("client");
        assertThat(parameterNames("/api/jobs", "get")).containsExactlyInAnyOrder("status", "type", "limit", "cursor");
        // every reference resolves, and every schema is referred to
        Set<String> referenced = new TreeSet<>();
        Matcher refs = Pattern.compile("\"\\$ref\":\"#/components/schemas/([^\"]+)\"").matcher(description.toString());
        while (refs.find()) {
            referenced.add(refs.group(1));
        }
        assertThat(referenced).containsExactlyInAnyOrderElementsOf(
                description.at("/components/schemas").propertyNames());
    }

    @Test
    void theUiIsPublicPassesTheSecurityHeadersAndLeavesTheConsoleAtTheRoot() throws IOException {
        assertThat(anonymous("/api/jobs").statusCode()).as("a job request without a key").isEqualTo(401);

        HttpResponse<String> entry = anonymous("/swagger-ui.html");
        assertThat(entry.statusCode()).isEqualTo(302);
        String location = entry.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/swagger-ui/index.html");

        HttpResponse<String> ui = anonymous("/swagger-ui/index.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(ui.body()).contains("swagger-ui");
        // nosniff stays (Spring Security's default): the UI's scripts and styles must come with their own types
        assertThat(ui.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(ui.headers().firstValue("Content-Security-Policy")).isEmpty();
        for (Matcher asset = Pattern.compile("(?:src|href)=\"\\./([^\"]+\\.(js|css))\"").matcher(ui.body());
                asset.find(); ) {
            HttpResponse<String> file = anonymous("/swagger-ui/" + asset.group(1));
            assertThat(file.statusCode()).as(asset.group(1)).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElseThrow()).as(asset.group(1))
                    .startsWith(asset.group(2).equals("js") ? "text/javascript" : "text/css");
        }
        HttpResponse<String> config = anonymous("/v3/api-docs/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(json(config).get("url").asString()).isEqualTo("/v3/api-docs");

        HttpResponse<String> console = anonymous("/");
        assertThat(console.statusCode()).isEqualTo(200);
        try (InputStream index = getClass().getResourceAsStream("/static/index.html")) {
            assertThat(console.body()).isEqualTo(new String(index.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** {@code METHOD /path} of every row of the README's "Using the API" table whose first column names one. */
    static Set<String> readmeEndpoints() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("\n## Using the API\n");
        assertThat(section).as("README has a section \"Using the API\"").isPositive();
        int end = readme.indexOf("\n## ", section + 1);
        Set<String> endpoints = new TreeSet<>();
        for (String line : readme.substring(section, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("|---")) {
                Matcher endpoint = ENDPOINT.matcher(line.split(" \\| ", 2)[0]);
                while (endpoint.find()) {
                    endpoints.add(normalised(endpoint.group(1) + " " + endpoint.group(2)));
                }
            }
        }
        return endpoints;
    }

    /** Path variables by position, whatever their name. */
    static String normalised(String endpoint) {
        return endpoint.replaceAll("\\{[^}/]*}", "{}");
    }

    /** Every operation of the description, by {@code METHOD /path}. */
    static Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        description.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(method.getKey())) {
                operations.put(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
        return operations;
    }

    static List<String> parameterNames(String path, String method) {
        List<String> names = new ArrayList<>();
        description.at("/paths/" + path.replace("/", "~1") + "/" + method + "/parameters")
                .forEach(parameter -> names.add(parameter.get("name").asString()));
        return names;
    }

    /** A request without any credential. */
    static HttpResponse<String> anonymous(String path) {
        return send(HttpRequest.newBuilder(uri(api, path)).timeout(Duration.ofSeconds(20)).GET().build());
    }
}
