package dev.genpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.convert.DurationUnit;

/** The original app's settings were decimal seconds ({@code CIRCUIT_BREAKER_TIMEOUT=10.0}): they still bind. */
class DecimalSecondsConverterTest {

    record Timeouts(@DurationUnit(ChronoUnit.SECONDS) Duration timeout,
                    @DurationUnit(ChronoUnit.SECONDS) Duration recovery, Duration plain) {
    }

    @Test
    void readsTheOriginalAppsDecimalSecondsAndEverythingBootReads() {
        assertThat(bind("10.0", "60.0", "250")).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMillis(250)));
        assertThat(bind("2.5", "30", "1.5")).isEqualTo(new Timeouts(Duration.ofMillis(2500), Duration.ofSeconds(30),
                Duration.ofMillis(2)));
        assertThat(bind("30s", "PT1M", "2m")).isEqualTo(new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(1),
                Duration.ofMinutes(2)));
    }

    private static Timeouts bind(String timeout, String recovery, String plain) {
        ApplicationConversionService conversions = new ApplicationConversionService();
        conversions.addConverter(new DecimalSecondsConverter());
        Binder binder = new Binder(java.util.List.of(new MapConfigurationPropertySource(Map.of("t.timeout", timeout,
                "t.recovery", recovery, "t.plain", plain))), null, conversions);
        return binder.bind("t", Bindable.of(Timeouts.class)).get();
    }
}
