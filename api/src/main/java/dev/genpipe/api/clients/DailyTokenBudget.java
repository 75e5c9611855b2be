package dev.genpipe.api.clients;

import dev.genpipe.api.status.ClientUsage;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.springframework.stereotype.Component;

/**
 * A client's daily Gemini token budget ({@code genpipe.clients.daily-tokens}): once its jobs used it up, new jobs are
 * refused with 429 before any Gemini call, until 00:00 UTC. Jobs already accepted still run, so a client can end a
 * day somewhat over budget.
 */
@Component
public class DailyTokenBudget {

    private final ClientUsage usage;
    private final long dailyTokens;

    DailyTokenBudget(ClientUsage usage, ClientSettings settings) {
        this.usage = usage;
        this.dailyTokens = settings.dailyTokens();
    }

    /** @throws TooManyRequests when the client's budget for today is spent */
    public void check(Client client) {
        if (dailyTokens <= 0) {
            return;
        }
        long used = usage.tokensToday(client.id());
        if (used >= dailyTokens) {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            ZonedDateTime midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC);
            throw new TooManyRequests("daily token budget of " + dailyTokens + " tokens used up (" + used
                    + " used today); it renews at 00:00 UTC", Duration.between(now, midnight));
        }
    }
}
