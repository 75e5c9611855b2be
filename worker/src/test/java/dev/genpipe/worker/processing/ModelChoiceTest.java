package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.worker.breaker.BreakerAccess;
import dev.genpipe.worker.breaker.GeminiBreakers;
import dev.genpipe.worker.gemini.GeminiFailure;
import dev.genpipe.worker.gemini.GeminiSettings;
import dev.genpipe.worker.gemini.RateLimitGate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModelChoiceTest {

    private static final String PRIMARY = "gemini-2.5-flash";
    private static final String FALLBACK = "gemini-2.5-flash-lite";

    private final RateLimitGate rateLimit = new RateLimitGate();

    @Test
    void thePrimaryWhileItsBreakerLetsCallsThrough() {
        ModelChoice choice = choice(FALLBACK, true);
        assertThat(model(choice.choose(request(null)))).isEqualTo(PRIMARY);
        assertThat(model(choice.choose(request(true)))).isEqualTo(PRIMARY);
    }

    @Test
    void theFallbackWhenThePrimaryIsOpenAndTheJobAllowsIt() {
        GeminiBreakers breakers = breakers(FALLBACK, true);
        ModelChoice choice = new ModelChoice(breakers, rateLimit, settings(FALLBACK, true));
        BreakerAccess.open(breakers.primary());

        assertThat(model(choice.choose(request(true)))).isEqualTo(FALLBACK);
        assertThat(model(choice.choose(request(null)))).as("the configured default allows it").isEqualTo(FALLBACK);
        assertThat(choice.choose(request(false))).as("a job that may not fall back waits for the primary")
                .isInstanceOf(ModelChoice.Unavailable.class);
    }

    @Test
    void theDefaultDecidesForAJobThatDoesNotSay() {
        GeminiBreakers breakers = breakers(FALLBACK, false);
        ModelChoice choice = new ModelChoice(breakers, rateLimit, settings(FALLBACK, false));
        BreakerAccess.open(breakers.primary());

        assertThat(choice.choose(request(null))).isInstanceOf(ModelChoice.Unavailable.class);
        assertThat(model(choice.choose(request(true)))).isEqualTo(FALLBACK);
    }

    @Test
    void withBothOpenOrNoFallbackNothingIsAvailable() {
        GeminiBreakers both = breakers(FALLBACK, true);
        both.all().forEach(BreakerAccess::open);
        assertThat(new ModelChoice(both, rateLimit, settings(FALLBACK, true)).choose(request(true)))
                .isInstanceOf(ModelChoice.Unavailable.class);
        assertThat(both.admits(256)).as("consumption pauses").isZero();

        GeminiBreakers alone = breakers("", true);
        BreakerAccess.open(alone.primary());
        assertThat(new ModelChoice(alone, rateLimit, settings("", true)).choose(request(true)))
                .isInstanceOf(ModelChoice.Unavailable.class);
    }

    @Test
    void aRateLimitedPrimaryIsWaitedForNotFallenBackFrom() {
        ModelChoice choice = choice(FALLBACK, true);
        rateLimit.rateLimited(PRIMARY, new GeminiFailure(GeminiFailure.Kind.RATE_LIMITED, "429",
                Duration.ofSeconds(30), null));
        assertThat(choice.choose(request(true))).isInstanceOfSatisfying(ModelChoice.Held.class,
                held -> assertThat(held.model()).isEqualTo(PRIMARY));
    }

    @Test
    void theWorkerKeepsConsumingWhileOneModelLetsCallsThrough() {
        GeminiBreakers breakers = breakers(FALLBACK, true);
        BreakerAccess.open(breakers.primary());
        assertThat(breakers.admits(256)).isEqualTo(256);
    }

    private ModelChoice choice(String fallback, boolean allow) {
        return new ModelChoice(breakers(fallback, allow), rateLimit, settings(fallback, allow));
    }

    private static GeminiBreakers breakers(String fallback, boolean allow) {
        return BreakerAccess.breakers(settings(fallback, allow));
    }

    private static GeminiSettings settings(String fallback, boolean allow) {
        return new GeminiSettings("key", PRIMARY, "", Duration.ofSeconds(30), "v1", Duration.ofSeconds(20), fallback,
                allow);
    }

    private static JobRequested request(Boolean allowFallback) {
        return new JobRequested(JobId.random(), new SubtopicsInput("Photosynthesis", 3), Instant.now(), "c", null,
                dev.genpipe.common.job.Priority.INTERACTIVE, allowFallback);
    }

    private static String model(ModelChoice.Choice choice) {
        assertThat(choice).isInstanceOf(ModelChoice.Call.class);
        return ((ModelChoice.Call) choice).breaker().model();
    }
}
