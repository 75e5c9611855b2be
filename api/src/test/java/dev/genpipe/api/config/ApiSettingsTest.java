package dev.genpipe.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.api.ApiApplication;
import org.junit.jupiter.api.Test;
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

    private static Throwable catchStartupFailure(String property) {
        try (var ignored = ApiApplication.builder()
                .web(WebApplicationType.NONE)
                .properties(property, "spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.admin.auto-create=false")
                .run()) {
            throw new AssertionError("started with " + property);
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
