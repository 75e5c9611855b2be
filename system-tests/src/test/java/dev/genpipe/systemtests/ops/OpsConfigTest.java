package dev.genpipe.systemtests.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.devstack.FreePorts;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.systemtests.GenPipeStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The operations files ({@code ops/}, {@code docker-compose.yml}) stay loadable and stay true to the code: every
 * YAML and JSON file parses, the compose file validates with {@code docker-compose config} (a missing tool fails),
 * the Kubernetes manifests carry the probes, grace periods and KEDA trigger the runbook relies on, and every metric
 * named in the alert rules and the Grafana dashboard is one that a running API and worker really expose after jobs
 * ran (started here on real Kafka, real Redis and the Gemini stand-in, on free ports).
 */
class OpsConfigTest {

    private static final Logger log = LoggerFactory.getLogger(OpsConfigTest.class);

    private static final Path ROOT = projectRoot();
    private static final Path OPS = ROOT.resolve("ops");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path ALERTS = OPS.resolve("prometheus/alerts.yml");
    private static final Path DASHBOARDS = OPS.resolve("grafana/dashboards");

    /**
     * Names that are in PromQL but are not exposed by the apps, each for a stated reason. Anything else an
     * expression names must be found in a scrape of the running apps.
     */
    private static final Map<String, String> NOT_FROM_THE_APPS = Map.of(
            // synthetic series Prometheus writes for every scrape target
            "up", "Prometheus scrape health",
            // kafka-exporter (danielqsj/kafka_exporter, in docker-compose.yml): the broker-side lag of a consumer
            // group, committed offset vs. log end; the apps cannot expose it for a group with no live member
            "kafka_consumergroup_lag", "kafka-exporter",
            "kafka_consumergroup_members", "kafka-exporter");

    /** Labels Prometheus attaches to every scraped series (target labels), so a matcher on them is always valid. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "__name__");

    // ---------------------------------------------------------------------------------------------------- syntax

    @Test
    void everyYamlFileInOpsAndTheComposeFileParses() throws IOException {
        List<Path> files = new ArrayList<>(filesUnder(OPS, ".yml", ".yaml"));
        files.add(COMPOSE);
        assertThat(files).as("YAML files under ops/").hasSizeGreaterThanOrEqualTo(10);
        for (Path file : files) {
            List<Object> documents = yamlDocuments(file);
            assertThat(documents).as("%s has at least one non-empty document", ROOT.relativize(file))
                    .isNotEmpty().doesNotContainNull();
        }
        log.info("parsed {} YAML files: {}", files.size(), files.stream().map(ROOT::relativize).toList());
    }

    @Test
    void everyJsonFileInOpsParses() throws IOException {
        List<Path> files = filesUnder(OPS, ".json");
        assertThat(files).as("the Grafana dashboard").isNotEmpty();
        for (Path file : files) {
            try {
                GenPipeJson.mapper().readTree(Files.readString(file));
            } catch (RuntimeException e) {
                fail(ROOT.relativize(file) + " is not valid JSON: " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- compose

    @Test
    void composeRunsTheWholeStackAndScalesWorkers() throws Exception {
        Map<String, Object> compose = yamlMap(COMPOSE);
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("kafka", "redis", "gemini-standin", "api", "worker", "prometheus",
                "grafana", "kafka-exporter");
        assertThat(string(map(services.get("kafka")).get("image"))).startsWith("apache/kafka:");

        Map<String, Object> worker = map(services.get("worker"));
        assertThat(worker).as("a scalable worker: no fixed name, no host ports")
                .doesNotContainKeys("container_name", "ports");
        assertThat(string(worker.get("stop_grace_period"))).as("longer than the worker's 30 s shutdown grace")
                .isEqualTo("45s");
        // every setting of the original app reaches the workers under its own name, with the worker's default
        Map<String, Object> workerEnvironment = map(worker.get("environment"));
        String workerYaml = Files.readString(ROOT.resolve("worker/src/main/resources/genpipe-worker.yml"));
        for (String setting : List.of("CACHE_TTL", "CACHE_MAX_SIZE", "REDIS_ENABLED", "REDIS_HOST", "REDIS_PORT",
                "REDIS_DB", "REDIS_PASSWORD", "CIRCUIT_BREAKER_FAILURE_THRESHOLD", "CIRCUIT_BREAKER_TIMEOUT",
                "CIRCUIT_BREAKER_RECOVERY_TIMEOUT", "GEMINI_API_KEY", "GEMINI_MODEL", "KAFKA_BOOTSTRAP_SERVERS")) {
            assertThat(workerEnvironment).as("docker-compose.yml passes %s to the workers", setting)
                    .containsKey(setting);
            Matcher yamlDefault = Pattern.compile("\\$\\{" + setting + ":([^}]*)}").matcher(workerYaml);
            Matcher composeDefault = Pattern.compile("\\$\\{" + setting + ":-([^}]*)}")
                    .matcher(string(workerEnvironment.get(setting)));
            boolean containerSpecific = List.of("REDIS_HOST", "REDIS_PORT", "GEMINI_API_KEY", "KAFKA_BOOTSTRAP_SERVERS")
                    .contains(setting); // compose points these at its own containers
            if (!containerSpecific) {
                assertThat(yamlDefault.find()).as("genpipe-worker.yml reads %s", setting).isTrue();
                assertThat(composeDefault.find()).as("compose gives %s a default", setting).isTrue();
                assertThat(composeDefault.group(1)).as("compose's default of %s", setting)
                        .isEqualTo(yamlDefault.group(1));
            }
        }
        Map<String, Object> apiEnvironment = map(map(services.get("api")).get("environment"));
        assertThat(string(apiEnvironment.get("GENPIPE_ADMIN_TOKEN"))).startsWith("${GENPIPE_ADMIN_TOKEN");
        assertThat(string(apiEnvironment.get("GENPIPE_API_IDEMPOTENCY_SECRET")))
                .startsWith("${GENPIPE_API_IDEMPOTENCY_SECRET");
        // Prometheus scrapes the API on its management port (the main port wants the admin token for metrics)
        String prometheusConfig = Files.readString(OPS.resolve("prometheus/prometheus.yml"));
        assertThat(prometheusConfig).contains("\"api:" + apiEnvironment.get("MANAGEMENT_SERVER_PORT") + "\"");

        // every file the compose file mounts from the repository exists
        for (Object service : services.values()) {
            for (Object volume : list(map(service).get("volumes"))) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source)).as("mounted by docker-compose.yml").exists();
                }
            }
        }

        Path binary = requireTool("docker-compose", "docker-compose");
        Result result = exec(ROOT, binary.toString(), "-f", COMPOSE.toString(), "config", "-q");
        assertThat(result.exitCode()).as("docker-compose config -q: %s", result.output()).isZero();
        log.info("CHECK RAN: `{} -f docker-compose.yml config -q` accepted the file", binary);
    }

    // ---------------------------------------------------------------------------------------------- prometheus

    @Test
    void prometheusLoadsTheAlertRulesWhichHaveRunbooksAndPassTheirUnitTests() throws Exception {
        Map<String, Object> prometheus = yamlMap(OPS.resolve("prometheus/prometheus.yml"));
        assertThat(list(prometheus.get("rule_files"))).contains("/etc/prometheus/alerts.yml");
        Set<String> jobs = new TreeSet<>();
        for (Object scrape : list(prometheus.get("scrape_configs"))) {
            jobs.add(string(map(scrape).get("job_name")));
        }
        assertThat(jobs).contains("genpipe-api", "genpipe-worker", "kafka-exporter");

        Set<String> alerts = new TreeSet<>();
        for (Object rule : alertRules()) {
            Map<String, Object> r = map(rule);
            assertThat(r).containsKeys("alert", "expr", "labels", "annotations");
            assertThat(map(r.get("labels"))).containsKey("severity");
            assertThat(map(r.get("annotations"))).containsKeys("summary", "description", "runbook");
            alerts.add(string(r.get("alert")));
        }
        assertThat(alerts).containsExactlyInAnyOrder("GenPipeCircuitBreakerOpen", "GenPipeConsumerLagGrowing",
                "GenPipeDeadLetters", "GenPipeJobErrorRatioHigh", "GenPipeNoWorkersConsuming");
        String readme = Files.readString(OPS.resolve("README.md"));
        for (String alert : alerts) {
            assertThat(readme).as("ops/README.md has a runbook section per alert").contains("### " + alert + "\n");
        }

        // every job="..." the rules and the dashboard select is a scrape job of prometheus.yml
        Matcher job = Pattern.compile("\\bjob\\s*=\\s*\"([^\"]+)\"").matcher(String.join("\n", expressions().values()));
        while (job.find()) {
            assertThat(jobs).as("scrape job named in PromQL").contains(job.group(1));
        }

        Path promtool = requireTool("promtool", "prometheus");
        Result check = exec(OPS.resolve("prometheus"), promtool.toString(), "check", "rules", "alerts.yml");
        assertThat(check.exitCode()).as("promtool check rules: %s", check.output()).isZero();
        Result unitTests = exec(OPS.resolve("prometheus"), promtool.toString(), "test", "rules", "alerts.test.yml");
        assertThat(unitTests.exitCode()).as("promtool test rules: %s", unitTests.output()).isZero();

        // the dashboard's PromQL, Grafana's variables replaced by plain values, as recording rules: syntax-checked
        Path dashboardRules = Files.createTempFile("genpipe-dashboard-rules", ".yml");
        try {
            StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
            int i = 0;
            for (Map.Entry<String, String> e : expressions().entrySet()) {
                if (e.getKey().startsWith("alert ") || e.getKey().contains("/ variable ")) {
                    continue;
                }
                String expr = e.getValue().replace("$__rate_interval", "1m").replace("$__range", "1h")
                        .replace("$instance", ".*");
                rules.append("      - record: dashboard:expr").append(i++).append("\n        expr: ")
                        .append(GenPipeJson.mapper().writeValueAsString(expr)).append('\n');
            }
            Files.writeString(dashboardRules, rules);
            Result dashboard = exec(OPS, promtool.toString(), "check", "rules", dashboardRules.toString());
            assertThat(dashboard.exitCode()).as("dashboard PromQL: %s", dashboard.output()).isZero();
            log.info("CHECK RAN: `{} check rules` and `test rules` passed for ops/prometheus/alerts.yml; the {} "
                    + "dashboard queries parse as PromQL", promtool, i);
        } finally {
            Files.deleteIfExists(dashboardRules);
        }
    }

    // -------------------------------------------------------------------------------------------------- k8s

    @Test
    void kubernetesManifestsCarryProbesGracePeriodsAndTheKedaTrigger() throws Exception {
        Path k8s = OPS.resolve("k8s");
        Map<String, Object> kustomization = yamlMap(k8s.resolve("kustomization.yaml"));
        assertThat(kustomization).doesNotContainKey("namespace");
        assertThat(list(kustomization.get("resources"))).as("the secret template is never applied by kustomize")
                .doesNotContain("secret.template.yaml");
        Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path file = k8s.resolve(string(resource));
            assertThat(file).as("kustomization resource").exists();
            for (Object document : yamlDocuments(file)) {
                Map<String, Object> manifest = map(document);
                assertThat(map(manifest.get("metadata"))).as("namespace-free: %s", file.getFileName())
                        .doesNotContainKey("namespace");
                byKindAndName.put(manifest.get("kind") + "/" + map(manifest.get("metadata")).get("name"), manifest);
            }
        }
        assertThat(byKindAndName).containsOnlyKeys("ConfigMap/genpipe-config", "Deployment/genpipe-api",
                "Service/genpipe-api", "PodDisruptionBudget/genpipe-api", "Deployment/genpipe-worker",
                "PodDisruptionBudget/genpipe-worker", "ScaledObject/genpipe-worker");

        Map<String, Object> secret = yamlMap(k8s.resolve("secret.template.yaml"));
        assertThat(map(secret.get("metadata")).get("name")).isEqualTo("genpipe-secrets");
        assertThat(map(secret.get("stringData"))).containsOnlyKeys("GEMINI_API_KEY", "GENPIPE_ADMIN_TOKEN",
                "GENPIPE_API_IDEMPOTENCY_SECRET", "REDIS_PASSWORD");
        assertThat(map(secret.get("stringData")).values()).allSatisfy(v -> assertThat(String.valueOf(v))
                .as("placeholder values only").startsWith("CHANGE-ME"));
        Set<String> secretKeys = map(secret.get("stringData")).keySet();
        Set<String> configKeys = map(byKindAndName.get("ConfigMap/genpipe-config").get("data")).keySet();
        assertThat(configKeys).as("no secret in the ConfigMap").doesNotContainAnyElementsOf(secretKeys)
                .doesNotContain("SERVER_PORT");

        for (String app : List.of("genpipe-api", "genpipe-worker")) {
            Map<String, Object> pod = map(map(map(byKindAndName.get("Deployment/" + app).get("spec"))
                    .get("template")).get("spec"));
            Map<String, Object> container = map(list(pod.get("containers")).getFirst());
            assertThat(string(map(map(container.get("livenessProbe")).get("httpGet")).get("path")))
                    .isEqualTo("/actuator/health/liveness");
            assertThat(string(map(map(container.get("readinessProbe")).get("httpGet")).get("path")))
                    .isEqualTo("/actuator/health/readiness");
            assertThat(map(map(container.get("resources")).get("requests"))).containsKeys("cpu", "memory");
            assertThat(map(map(container.get("resources")).get("limits"))).containsKey("memory");
            for (Object env : list(container.get("env"))) {
                Object secretRef = map(map(env).getOrDefault("valueFrom", Map.of())).get("secretKeyRef");
                if (secretRef != null) {
                    assertThat(map(secretRef).get("name")).isEqualTo("genpipe-secrets");
                    assertThat(secretKeys).contains(string(map(secretRef).get("key")));
                }
            }
            assertThat(map(byKindAndName.get("PodDisruptionBudget/" + app).get("spec"))).containsKey("selector");
            // probes and scraping use the port named "metrics": the API's management port, the worker's only port
            Map<String, Object> metricsPort = list(container.get("ports")).stream().map(OpsConfigTest::map)
                    .filter(p -> "metrics".equals(p.get("name"))).findFirst().orElseThrow();
            assertThat(string(map(map(container.get("livenessProbe")).get("httpGet")).get("port"))).isEqualTo("metrics");
            assertThat(string(map(map(container.get("readinessProbe")).get("httpGet")).get("port"))).isEqualTo("metrics");
            Map<String, Object> template = map(map(byKindAndName.get("Deployment/" + app).get("spec")).get("template"));
            assertThat(string(map(map(template.get("metadata")).get("annotations")).get("prometheus.io/port")))
                    .isEqualTo(string(metricsPort.get("containerPort")));
            if (app.equals("genpipe-api")) {
                assertThat(list(container.get("env"))).contains(Map.of("name", "MANAGEMENT_SERVER_PORT",
                        "value", string(metricsPort.get("containerPort"))));
            }
        }
        Map<String, Object> workerPod = map(map(map(byKindAndName.get("Deployment/genpipe-worker").get("spec"))
                .get("template")).get("spec"));
        assertThat(((Number) workerPod.get("terminationGracePeriodSeconds")).intValue())
                .as("longer than the worker's 30 s shutdown grace").isGreaterThan(30);

        Map<String, Object> scaled = map(byKindAndName.get("ScaledObject/genpipe-worker").get("spec"));
        assertThat(map(scaled.get("scaleTargetRef")).get("name")).isEqualTo("genpipe-worker");
        // one kafka trigger per lane, both on the workers' group
        List<Map<String, Object>> triggers = list(scaled.get("triggers")).stream().map(OpsConfigTest::map).toList();
        assertThat(triggers).allSatisfy(trigger -> {
            assertThat(trigger.get("type")).isEqualTo("kafka");
            assertThat(map(trigger.get("metadata"))).containsEntry("consumerGroup", "genpipe-workers")
                    .containsKey("lagThreshold");
        });
        assertThat(triggers).extracting(trigger -> map(trigger.get("metadata")).get("topic"))
                .containsExactlyInAnyOrder("genpipe.jobs", "genpipe.jobs.bulk");
        int min = ((Number) scaled.get("minReplicaCount")).intValue();
        int max = ((Number) scaled.get("maxReplicaCount")).intValue();
        assertThat(min).isPositive();
        assertThat(max).as("no more replicas than partitions of genpipe.jobs").isGreaterThan(min)
                .isLessThanOrEqualTo(Integer.parseInt(string(map(byKindAndName.get("ConfigMap/genpipe-config")
                        .get("data")).get("GENPIPE_TOPIC_PARTITIONS"))));

        Path kubectl = requireTool("kubectl", "kubectl");
        Result build = exec(ROOT, kubectl.toString(), "kustomize", k8s.toString());
        assertThat(build.exitCode()).as("kubectl kustomize ops/k8s: %s", build.output()).isZero();
        assertThat(build.output()).contains("kind: ScaledObject", "image: registry.example.com/genpipe/genpipe-worker:");
        log.info("CHECK RAN: `{} kustomize ops/k8s` built the manifests", kubectl);
    }

    // ------------------------------------------------------------------------------------------ metric names

    @Test
    void everyMetricInTheAlertRulesAndTheDashboardIsExposedByTheRunningApps() throws Exception {
        Map<String, String> expressions = expressions();
        assertThat(expressions).hasSizeGreaterThan(30);

        Map<String, Set<String>> exposed = scrapeAfterJobsRan();

        List<String> problems = new ArrayList<>();
        Set<String> checked = new TreeSet<>();
        for (Map.Entry<String, String> entry : expressions.entrySet()) {
            List<Selector> selectors = Promql.selectors(entry.getValue());
            if (selectors.isEmpty()) {
                problems.add(entry.getKey() + ": no metric found in " + entry.getValue());
            }
            for (Selector selector : selectors) {
                checked.add(selector.metric());
                if (NOT_FROM_THE_APPS.containsKey(selector.metric())) {
                    continue;
                }
                Set<String> labels = exposed.get(selector.metric());
                if (labels == null) {
                    problems.add(entry.getKey() + ": no metric " + selector.metric() + " in " + entry.getValue());
                    continue;
                }
                for (String label : selector.labels()) {
                    if (!labels.contains(label) && !TARGET_LABELS.contains(label)) {
                        problems.add(entry.getKey() + ": " + selector.metric() + " has no label " + label
                                + " (it has " + labels + ")");
                    }
                }
            }
        }
        log.info("CHECK RAN: {} metric names from {} expressions checked against {} metrics exposed by a running API "
                + "and worker: {}", checked.size(), expressions.size(), exposed.size(), checked);
        assertThat(problems).as("PromQL naming metrics or labels the apps do not expose").isEmpty();
    }

    @Test
    void thePromqlReaderFindsMetricNamesAndMatcherLabels() {
        assertThat(Promql.selectors("""
                sum by (code) (increase(a_total{job="x", code=~"p.*"}[15m])) > 0
                or sum(rate(b_seconds_count[$__rate_interval])) / scalar(count(up{job="w"} == 1))
                and deriv(sum(c{topic="genpipe.jobs"})[15m:1m]) > 0 unless d offset 15m
                or absent(e) or label_values(f{instance=~"$instance"}, instance) or 2e3 * vector(0)"""))
                .containsExactly(new Selector("a_total", Set.of("job", "code")), new Selector("b_seconds_count", Set.of()),
                        new Selector("up", Set.of("job")), new Selector("c", Set.of("topic")),
                        new Selector("d", Set.of()), new Selector("e", Set.of()),
                        new Selector("f", Set.of("instance")));
    }

    /** Every PromQL expression of the alert rules and the dashboards, by where it is. */
    private static Map<String, String> expressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Object rule : alertRules()) {
            expressions.put("alert " + map(rule).get("alert"), string(map(rule).get("expr")));
        }
        for (Path dashboard : filesUnder(DASHBOARDS, ".json")) {
            collectDashboardExpressions(GenPipeJson.mapper().readTree(Files.readString(dashboard)),
                    dashboard.getFileName().toString(), expressions);
        }
        return expressions;
    }

    private static List<Object> alertRules() throws IOException {
        List<Object> rules = new ArrayList<>();
        for (Object group : list(yamlMap(ALERTS).get("groups"))) {
            rules.addAll(list(map(group).get("rules")));
        }
        return rules;
    }

    /** Targets' {@code expr} of every panel (nested rows too) and the {@code query} of query variables. */
    private static void collectDashboardExpressions(JsonNode node, String where, Map<String, String> out) {
        if (node.isObject()) {
            JsonNode title = node.get("title");
            String here = title != null && title.isString() ? where + " / " + title.asString() : where;
            JsonNode targets = node.get("targets");
            if (targets != null && targets.isArray()) {
                int i = 0;
                for (JsonNode target : targets) {
                    JsonNode expr = target.get("expr");
                    if (expr != null && !expr.asString().isBlank()) {
                        out.put(here + " #" + i++, expr.asString());
                    }
                }
            }
            JsonNode templating = node.get("templating");
            if (templating != null) {
                for (JsonNode variable : templating.path("list")) {
                    JsonNode query = variable.get("query");
                    if ("query".equals(variable.path("type").asString()) && query != null) {
                        String text = query.isObject() ? query.path("query").asString() : query.asString();
                        out.put(where + " / variable " + variable.path("name").asString(), text);
                    }
                }
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!field.getKey().equals("targets") && !field.getKey().equals("templating")) {
                    collectDashboardExpressions(field.getValue(), here, out);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collectDashboardExpressions(child, where, out);
            }
        }
    }

    /**
     * Starts Kafka, Redis, the stand-in, one API and one worker; runs jobs that touch every outcome the dashboard
     * shows (a success, a cache hit, a retried success, a failure, a dead letter); returns metric name → label
     * names as scraped from both apps.
     */
    private static Map<String, Set<String>> scrapeAfterJobsRan() throws Exception {
        try (GenPipeStack stack = GenPipeStack.start()) {
            GeminiStandIn gemini = stack.gemini;
            // as deployed (docker-compose.yml, ops/k8s/api.yaml): actuator on its own management port, which
            // Prometheus scrapes without the admin token the API's main port asks for
            int managementPort = FreePorts.next();
            ConfigurableApplicationContext apiContext = stack.startApiApp(
                    "management.server.port=" + managementPort,
                    "genpipe.api.admin-token=" + UUID.randomUUID());
            String api = "http://127.0.0.1:" + GenPipeStack.port(apiContext);
            String apiManagement = "http://127.0.0.1:" + managementPort;
            await().atMost(Duration.ofSeconds(60)).until(() -> get(apiManagement + "/actuator/health/readiness")
                    .statusCode() == 200);
            assertThat(get(apiManagement + "/actuator/health/liveness").statusCode()).isEqualTo(200);
            ConfigurableApplicationContext workerContext = stack.startWorker("ops-worker",
                    "genpipe.worker.retry-max-delay=500ms",
                    // the first outage failure opens the breaker, half a second later a probe closes it again: the
                    // transition counter appears
                    "genpipe.breaker.failure-threshold=1",
                    "genpipe.breaker.recovery-timeout=500ms",
                    "genpipe.breaker.half-open-calls=1");
            String worker = "http://127.0.0.1:" + GenPipeStack.port(workerContext);

            String unique = Long.toString(System.nanoTime(), 36);
            String subtopics = """
                    {"type":"SUBTOPICS","input":{"topic":"Metrics %s","count":3}}""".formatted(unique);
            awaitTerminal(api, submit(api, subtopics), "SUCCEEDED");
            awaitTerminal(api, submit(api, subtopics), "SUCCEEDED"); // a cache hit
            gemini.failNext(1, GeminiStandIn.Failure.UNAVAILABLE); // breaker opens, retried, then succeeds
            awaitTerminal(api, submit(api, """
                    {"type":"EXPLANATION","input":{"topic":"Metrics %s","subtopic":"Retries"}}""".formatted(unique)),
                    "SUCCEEDED");
            gemini.failNext(1, GeminiStandIn.Failure.BAD_REQUEST); // fails at once
            awaitTerminal(api, submit(api, """
                    {"type":"EXPLANATION","input":{"topic":"Metrics %s","subtopic":"Failures"}}""".formatted(unique)),
                    "FAILED");
            sendPoison(stack.kafka.bootstrapServers()); // dead-lettered
            await().atMost(Duration.ofSeconds(30)).until(() -> scrape(worker).containsKey(
                    "genpipe_jobs_dead_lettered_total"));

            Map<String, Set<String>> exposed = new TreeMap<>(scrape(apiManagement));
            scrape(worker).forEach((name, labels) -> exposed.merge(name, labels, (a, b) -> {
                Set<String> union = new TreeSet<>(a);
                union.addAll(b);
                return union;
            }));
            Path dump = ROOT.resolve("system-tests/target/ops-exposed-metrics.txt");
            Files.createDirectories(dump.getParent());
            Files.write(dump, exposed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
            log.info("{} metrics exposed by the API and the worker (list: {})", exposed.size(), dump);
            return exposed;
        }
    }

    private static void sendPoison(String bootstrapServers) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("genpipe.jobs", "poison",
                    "not a job".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
    }

    private static String submit(String api, String json) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/api/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(response.statusCode()).as("submit: %s", response.body()).isEqualTo(202);
        return GenPipeJson.mapper().readTree(response.body()).get("jobId").asString();
    }

    private static void awaitTerminal(String api, String jobId, String expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> response = get(api + "/api/jobs/" + jobId);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(GenPipeJson.mapper().readTree(response.body()).get("status").asString()).isEqualTo(expected);
        });
    }

    /** Metric name → the label names seen on its samples, from {@code /actuator/prometheus}. */
    static Map<String, Set<String>> scrape(String baseUrl) {
        HttpResponse<String> response = get(baseUrl + "/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.names(response.body());
    }

    private static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------- PromQL text

    /** A vector selector: a metric name and the label names its matchers use. */
    record Selector(String metric, Set<String> labels) {
    }

    /** Just enough PromQL lexing to find the metric names and matcher labels of an expression. */
    static final class Promql {

        private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
        private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
        private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]*?)\\s*(?:,\\s*\\w+\\s*)?\\)");
        private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
        private static final Pattern GROUPING = Pattern.compile(
                "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
        private static final Pattern TOKEN = Pattern.compile(
                "(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(\\s*\\{[^}]*})?+(?!\\s*\\()");
        private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
        private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
                "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN", "atan2");

        static List<Selector> selectors(String expression) {
            String text = LABEL_VALUES.matcher(expression).replaceAll("$1");
            // strings become empty markers (label values and regexes are not names), variables a neutral value
            text = STRING.matcher(text).replaceAll("\"\"");
            text = GRAFANA_VARIABLE.matcher(text).replaceAll("5m");
            text = RANGE.matcher(text).replaceAll("");
            text = GROUPING.matcher(text).replaceAll("");
            List<Selector> selectors = new ArrayList<>();
            Matcher token = TOKEN.matcher(text);
            while (token.find()) {
                String name = token.group(1);
                if (KEYWORDS.contains(name)) {
                    continue;
                }
                Set<String> labels = new LinkedHashSet<>();
                if (token.group(2) != null) {
                    Matcher label = MATCHER_LABEL.matcher(token.group(2));
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
                selectors.add(new Selector(name, labels));
            }
            // a bare {__name__="..."} selector is not used in ops/: a name-less selector fails loudly here
            assertThat(text).as("selector without a metric name in: %s", expression).doesNotContainPattern(
                    "(^|[\\s(,])\\{");
            return selectors;
        }
    }

    /** Sample names and label names from the Prometheus text exposition format. */
    static final class PrometheusText {

        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

        static Map<String, Set<String>> names(String body) {
            Map<String, Set<String>> names = new TreeMap<>();
            for (String line : body.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.find()) {
                    continue;
                }
                Set<String> labels = names.computeIfAbsent(sample.group(1), n -> new TreeSet<>());
                if (sample.group(3) != null) {
                    Matcher label = LABEL.matcher(sample.group(3));
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
            }
            return names;
        }
    }

    // -------------------------------------------------------------------------------------------------- files

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("ops")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no project root (docker-compose.yml and ops/) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static List<Path> filesUnder(Path dir, String... suffixes) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s)))
                    .sorted().toList();
        }
    }

    private static List<Object> yamlDocuments(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Object> documents = new ArrayList<>();
        try {
            for (Object document : new Yaml(options).loadAll(Files.readString(file))) {
                if (document != null) {
                    documents.add(document);
                }
            }
        } catch (RuntimeException e) {
            fail(ROOT.relativize(file) + " is not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    private static Map<String, Object> yamlMap(Path file) throws IOException {
        List<Object> documents = yamlDocuments(file);
        assertThat(documents).as("%s: one document", file).hasSize(1);
        return map(documents.getFirst());
    }

    /** The exit code and the output (stdout and stderr) of a finished command. */
    record Result(int exitCode, String output) {
    }

    /** Runs a command in {@code dir}, waiting at most a minute. */
    private static Result exec(Path dir, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("genpipe-ops-check", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within a minute");
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The tool on the PATH, or a failure naming the Debian package: a check that cannot run is not a pass. */
    private static Path requireTool(String binary, String debianPackage) {
        Path tool = onPath(binary);
        if (tool == null) {
            fail("`" + binary + "` is not installed, so this check cannot run. ./run-tests.sh installs it when run as "
                    + "root; otherwise: sudo apt-get install --no-install-recommends " + debianPackage);
        }
        return tool;
    }

    private static Path onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).as("a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        assertThat(value).as("a YAML sequence").isInstanceOf(List.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) value;
        return list;
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
