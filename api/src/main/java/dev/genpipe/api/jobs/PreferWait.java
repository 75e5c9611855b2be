package dev.genpipe.api.jobs;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wait} preference of an RFC 7240 {@code Prefer} header ({@code Prefer: wait=10}, possibly among other
 * preferences): how long the client would like the request to wait for the job's end. At most {@link #LONGEST}; an
 * unreadable or absent preference means no wait (preferences are hints, never errors).
 */
final class PreferWait {

    static final Duration LONGEST = Duration.ofSeconds(30);
    private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,9})\"?(?=$|[,;\\s])");

    private PreferWait() {
    }

    static Optional<Duration> parse(String prefer) {
        if (prefer == null) {
            return Optional.empty();
        }
        Matcher m = WAIT.matcher(prefer.toLowerCase(Locale.ROOT));
        if (!m.find()) {
            return Optional.empty();
        }
        Duration wait = Duration.ofSeconds(Long.parseLong(m.group(1)));
        if (wait.isZero()) {
            return Optional.empty();
        }
        return Optional.of(wait.compareTo(LONGEST) > 0 ? LONGEST : wait);
    }

    /** The {@code Preference-Applied} value for a wait that was honoured. */
    static String applied(Duration wait) {
        return "wait=" + wait.toSeconds();
    }
}
