package dev.genpipe.api.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How well a part of the system is doing, as {@code /api/health} says it. */
enum Level {
    HEALTHY,
    /** Works, with less than it should have (breakers open, cache in memory, nobody to ask). */
    DEGRADED,
    /** Does not work: requests fail. */
    UNHEALTHY,
    /** Cannot tell: no live worker reported it. */
    UNKNOWN;

    @JsonValue
    String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
