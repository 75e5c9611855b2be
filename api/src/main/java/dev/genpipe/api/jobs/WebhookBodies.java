package dev.genpipe.api.jobs;

import dev.genpipe.api.webhooks.JobBody;
import dev.genpipe.common.view.JobView;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A finished job's webhook body: {@link JobResponse}, written by the mapper that writes {@code GET /api/jobs/{id}}. */
@Component
class WebhookBodies implements JobBody {

    private final JsonMapper json;

    WebhookBodies(JsonMapper json) {
        this.json = json;
    }

    @Override
    public byte[] render(JobView finished) {
        return json.writeValueAsBytes(JobResponse.withoutWebhook(finished));
    }
}
