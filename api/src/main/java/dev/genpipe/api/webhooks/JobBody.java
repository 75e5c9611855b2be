package dev.genpipe.api.webhooks;

import dev.genpipe.common.view.JobView;

/**
 * The body of a job's webhook: the finished job as {@code GET /api/jobs/{id}} answers it, without its own delivery
 * state (so every attempt sends the same bytes). Rendered by the HTTP layer, which owns that shape.
 */
public interface JobBody {

    byte[] render(JobView finished);
}
