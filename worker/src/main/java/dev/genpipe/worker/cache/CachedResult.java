package dev.genpipe.worker.cache;

import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.TokenUsage;

/** What the cache keeps for a request: the result, and what it originally cost. */
public record CachedResult(JobResult result, TokenUsage usage, String model) {
}
