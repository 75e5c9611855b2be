package dev.genpipe.worker.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.stereotype.Component;

/**
 * Durations also as decimal numbers, as the original app wrote its settings ({@code CIRCUIT_BREAKER_TIMEOUT=10.0},
 * {@code CIRCUIT_BREAKER_RECOVERY_TIMEOUT=60.0}, {@code CACHE_TTL=3600.0}): a plain number, whole or decimal, is in
 * the property's unit ({@link DurationUnit}, milliseconds without one), rounded to the millisecond; everything else
 * ({@code 30s}, {@code PT1M}, {@code 500}) is read as Spring Boot reads durations.
 */
@Component
@ConfigurationPropertiesBinding
class DecimalSecondsConverter implements GenericConverter {

    private static final Pattern DECIMAL = Pattern.compile("[+]?\\d+\\.\\d*|[+]?\\.\\d+");

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, Duration.class));
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String text = source.toString().strip();
        if (text.isEmpty()) {
            return null;
        }
        DurationUnit annotation = targetType.getAnnotation(DurationUnit.class);
        ChronoUnit unit = annotation == null ? ChronoUnit.MILLIS : annotation.value();
        if (DECIMAL.matcher(text).matches()) {
            BigDecimal millis = new BigDecimal(text).multiply(BigDecimal.valueOf(unit.getDuration().toMillis()));
            return Duration.ofMillis(millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        }
        return DurationStyle.detectAndParse(text, unit);
    }
}
