package dev.genpipe.api.status;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** Gemini tokens each client's jobs used per UTC day (uncached results only), as every API instance sees them. */
@Component
public class ClientUsage {

    private final JobStateStreams streams;

    ClientUsage(JobStateStreams streams) {
        this.streams = streams;
    }

    /** @throws JobStateLoading while the store loads */
    public long tokensToday(String clientId) {
        Long used = streams.clientUsage().get(JobStateTopology.usageKey(clientId, LocalDate.now(ZoneOffset.UTC)));
        return used == null ? 0 : used;
    }
}
