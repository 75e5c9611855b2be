package dev.genpipe.common.job;

/** Gemini token usage of one job, from the response's usage metadata. */
public record TokenUsage(int inputTokens, int outputTokens, int totalTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    public static TokenUsage of(int input, int output) {
        return new TokenUsage(input, output, input + output);
    }
}
