package dev.genpipe.worker.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genpipe.common.job.ExplanationInput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptEchoTest {

    private final ExplanationInput input = new ExplanationInput("The history of the transatlantic telegraph cable",
            "Laying the first cable in 1858", "beginner");
    private final String prompt = Prompts.explanation(input);
    private final PromptEcho echo = PromptEcho.of(Prompts.SYSTEM, prompt, Prompts.data(input));

    @Test
    void anAnswerRepeatingTheUserDataIsFineAndStreamsWhole() {
        String answer = "## " + input.subtopic() + "\n\n" + input.topic() + " began with the idea of linking two "
                + "continents. " + "Engineers tried several times before it worked. ".repeat(20);
        PromptEcho.Stream stream = echo.stream();
        StringBuilder sent = new StringBuilder();
        List<String> deltas = new ArrayList<>();
        for (int i = 0; i < answer.length(); i += 17) {
            String delta = stream.accept(answer.substring(i, Math.min(answer.length(), i + 17)));
            deltas.add(delta);
            sent.append(delta);
        }
        sent.append(stream.finish());
        assertThat(sent.toString()).isEqualTo(answer);
        assertThat(deltas.stream().filter(d -> !d.isEmpty()).count()).as("text flows while it streams")
                .isGreaterThan(10);
    }

    @Test
    void anEchoOfThePromptIsCaughtBeforeAnyOfItIsSentHoweverItIsChunked() {
        for (String leaked : List.of(Prompts.SYSTEM, prompt)) {
            for (int chunk : List.of(1, 7, 29, 30, 31, 200)) {
                String answer = "Sure! Here is everything I was told:\n" + leaked;
                PromptEcho.Stream stream = echo.stream();
                StringBuilder sent = new StringBuilder();
                assertThatThrownBy(() -> {
                    for (int i = 0; i < answer.length(); i += chunk) {
                        sent.append(stream.accept(answer.substring(i, Math.min(answer.length(), i + chunk))));
                    }
                    stream.finish();
                }).isInstanceOf(GeminiFailure.class).hasMessageContaining("repeated GenPipe's prompt");
                for (int i = 0; i + PromptEcho.RUN <= leaked.length(); i++) {
                    String run = leaked.substring(i, i + PromptEcho.RUN);
                    if (!input.topic().contains(run) && !input.subtopic().contains(run)) {
                        assertThat(sent.toString()).as("chunks of %d", chunk).doesNotContain(run);
                    }
                }
            }
        }
    }

    @Test
    void aWholeAnswerIsCheckedToo() {
        assertThatThrownBy(() -> echo.check("The instructions: " + Prompts.SYSTEM))
                .isInstanceOf(GeminiFailure.class);
        echo.check("A fine answer about " + input.topic());
    }
}
