package dev.genpipe.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.api.ApiApplication;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.WebApplicationType;

class ApiSettingsTest {

    @Test
    void badSettingStopsStartUpNamingTheSetting() {
        Throwable failure = catchStartupFailure("genpipe.api.topic-partitions=0");

        assertThat(rootMessage(failure)).contains("genpipe.api.topic-partitions").contains("at least 1");
    }

    @Test
    void unparsableDurationStopsStartUpNamingTheSetting() {
        Throwable failure = catchStartupFailure("genpipe.api.read-your-writes-wait=soon");

        assertThat(failure).hasStackTraceContaining("genpipe.api.read-your-writes-wait");
    }

    @Test
    void neverPrintsTheAdminToken() {
        ApiSettings settings = bind("genpipe.api.admin-token= s3cr3t-token ");

        assertThat(settings.adminEnabled()).isTrue();
        assertThat(settings.adminToken()).isEqualTo("s3cr3t-token");
        assertThat(settings.toString()).doesNotContain("s3cr3t").contains("adminToken=******")
                .contains("topicPartitions=12");
    }

    @Test
    void startUpFailureNeverShowsTheAdminToken() {
        Throwable failure = catchStartupFailure("genpipe.api.topic-partitions=0",
                "genpipe.api.admin-token=s3cr3t-token");

        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(cause.toString()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void disablesTheAdminEndpointsWithoutOrWithABlankToken() {
        assertThat(bind("genpipe.api.admin-token=  ").adminEnabled()).isFalse();
        assertThat(bind("genpipe.api.instance-id=x").adminEnabled()).isFalse();
        assertThat(bind("genpipe.api.instance-id=x").toString()).contains("adminToken=(none)");
    }

    private static ApiSettings bind(String property) {
        String[] keyValue = property.split("=", 2);
        return new Binder(new MapConfigurationPropertySource(Map.of(keyValue[0], keyValue[1])))
                .bindOrCreate("genpipe.api", ApiSettings.class);
    }

    private static Throwable catchStartupFailure(String... properties) {
        String[] arguments = java.util.stream.Stream.concat(java.util.stream.Stream.of(properties),
                        java.util.stream.Stream.of("spring.kafka.bootstrap-servers=127.0.0.1:1",
                                "spring.kafka.admin.auto-create=false"))
                .map(property -> "--" + property).toArray(String[]::new);
        try (var ignored = ApiApplication.builder()
                .web(WebApplicationType.NONE)
                .run(arguments)) { // arguments: they win over genpipe-api.yml
            throw new AssertionError("started with " + String.join(", ", properties));
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
