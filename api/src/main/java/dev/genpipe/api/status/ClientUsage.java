package dev.genpipe.api.status;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** Gemini tokens each client's jobs used per UTC day (uncached results only), as every API instance folds them. */
@Component
public class ClientUsage {

    private final JobStateReader reader;

    ClientUsage(JobStateReader reader) {
        this.reader = reader;
    }

    /** @throws JobStateLoading while the state loads */
    public long tokensToday(String clientId) {
        if (!reader.ready()) {
            throw new JobStateLoading("client usage is still loading");
        }
        return reader.fold().tokens(clientId, LocalDate.now(ZoneOffset.UTC));
    }
}
