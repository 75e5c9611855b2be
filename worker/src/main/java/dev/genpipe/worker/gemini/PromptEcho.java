package dev.genpipe.worker.gemini;

import dev.genpipe.worker.gemini.GeminiFailure.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises an answer that repeats GenPipe's prompts: any run of {@link #RUN} characters of the system prompt, or of
 * the user prompt's own wording (its instructions and tags; a run that lies wholly inside the user's data — the topic
 * the user typed — is the user's own text and may be repeated). {@link Stream} applies it to a streamed answer before
 * any text leaves the worker: it holds back the last {@code RUN - 1} characters until the next piece shows whether
 * they start an echo, so no delta ever carries one, whatever the chunking.
 */
final class PromptEcho {

    static final int RUN = 30;

    private static final java.util.Map<String, Set<String>> SYSTEM_RUNS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Set<String> system;
    private final Set<String> forbidden = new HashSet<>();

    private PromptEcho(Set<String> system) {
        this.system = system;
    }

    /** The echoes of {@code systemPrompt} and {@code userPrompt}, the user's {@code data} in it excepted. */
    static PromptEcho of(String systemPrompt, String userPrompt, List<String> data) {
        PromptEcho echo = new PromptEcho(SYSTEM_RUNS.computeIfAbsent(systemPrompt, prompt -> {
            Set<String> runs = new HashSet<>();
            add(runs, prompt, List.of());
            return Set.copyOf(runs);
        }));
        add(echo.forbidden, userPrompt, data);
        return echo;
    }

    private static void add(Set<String> forbidden, String prompt, List<String> data) {
        boolean[] isData = new boolean[prompt.length()];
        for (String value : data) {
            if (value.isEmpty()) {
                continue;
            }
            for (int at = prompt.indexOf(value); at >= 0; at = prompt.indexOf(value, at + 1)) {
                java.util.Arrays.fill(isData, at, at + value.length(), true);
            }
        }
        for (int start = 0; start + RUN <= prompt.length(); start++) {
            boolean allData = true;
            for (int i = start; i < start + RUN && allData; i++) {
                allData = isData[i];
            }
            if (!allData) {
                forbidden.add(prompt.substring(start, start + RUN));
            }
        }
    }

    /** @throws GeminiFailure (invalid output) when {@code text} repeats a prompt */
    void check(CharSequence text) {
        for (int start = 0; start + RUN <= text.length(); start++) {
            check(text, start);
        }
    }

    private void check(CharSequence text, int start) {
        String run = text.subSequence(start, start + RUN).toString();
        if (system.contains(run) || forbidden.contains(run)) {
            throw new GeminiFailure(Kind.INVALID_OUTPUT,
                    "Gemini's answer repeated GenPipe's prompt (a prompt injection); it was discarded");
        }
    }

    /** A streamed answer, checked piece by piece: what {@link #accept} returns is safe to send. */
    Stream stream() {
        return new Stream();
    }

    final class Stream {

        private final StringBuilder text = new StringBuilder();
        private int checked; // windows starting below this index were checked
        private int released; // characters already handed out

        /** Adds a piece; @return the text that may be sent now (possibly empty) @throws GeminiFailure on an echo */
        String accept(String piece) {
            text.append(piece);
            for (; checked + RUN <= text.length(); checked++) {
                check(text, checked);
            }
            return release(Math.max(released, text.length() - (RUN - 1)));
        }

        /** The answer ended: @return the rest of it (every window of it was checked) */
        String finish() {
            return release(text.length());
        }

        String text() {
            return text.toString();
        }

        private String release(int upTo) {
            String out = text.substring(released, upTo);
            released = upTo;
            return out;
        }
    }
}
