package dev.genpipe.api.edge;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browsers on other origins that may call the API ({@code GENPIPE_CORS_ORIGINS}, comma-separated, e.g.
 * {@code https://app.example.com}); none by default. Credentials (cookies) are never allowed: the API takes its keys
 * from headers.
 */
@ConfigurationProperties("genpipe.cors")
public record CorsSettings(@DefaultValue List<String> origins) {

    public CorsSettings {
        origins = origins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        for (String origin : origins) {
            if (origin.equals("*") || !origin.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("genpipe.cors.origins (GENPIPE_CORS_ORIGINS) must list origins such "
                        + "as https://app.example.com (scheme, host and port, no path, no *), got: " + origin);
            }
        }
    }
}
