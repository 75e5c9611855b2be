package dev.genpipe.devstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Log levels for the local run's own JVM (the in-process Kafka broker is chatty). Set in code rather than
 * with a {@code logback.xml}, which would leak into every module that uses devstack in its tests.
 */
final class QuietLogging {

    private QuietLogging() {
    }

    /** Warnings and errors only; errors only from the broker. */
    static void apply() {
        setLevel(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
        setLevel("kafka", Level.ERROR);
        setLevel("org.apache.kafka", Level.ERROR);
    }

    /** Hides the harmless errors an embedded broker logs while it shuts down. */
    static void silenceKafka() {
        setLevel("kafka", Level.OFF);
        setLevel("org.apache.kafka", Level.OFF);
        setLevel("state.change.logger", Level.OFF);
    }

    private static void setLevel(String loggerName, Level level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Logger logger = context.getLogger(loggerName);
            logger.setLevel(level);
        }
    }
}
