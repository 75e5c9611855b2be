package dev.genpipe.worker.gemini;

import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.TokenUsage;

/** A usable Gemini answer: the parsed result, the tokens it cost and the model that wrote it. */
public record Generation(JobResult result, TokenUsage usage, String model) {
}
