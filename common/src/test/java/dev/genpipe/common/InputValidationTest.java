package dev.genpipe.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.FieldViolation;
import dev.genpipe.common.job.SubtopicsInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "a\u0000b", "tab\there", "new\nline", "bidi \u202Eevil", "zero\u200Bwidth",
            "bom\uFEFF", "lone \uD800 surrogate"})
    void rejectsBlankControlAndInvisibleCharacters(String topic) {
        assertThat(new SubtopicsInput(topic).violations()).extracting(FieldViolation::field).containsExactly("input.topic");
    }

    @Test
    void rejectsTextsLongerThanTheLimit() {
        assertThat(new SubtopicsInput("x".repeat(201)).violations()).hasSize(1);
        assertThat(new SubtopicsInput("x".repeat(200)).violations()).isEmpty();
    }

    @Test
    void acceptsOrdinaryInternationalText() {
        assertThat(new SubtopicsInput("Photosynthèse 光合作用 👩‍🔬").violations()).isEmpty();
        assertThat(new ExplanationInput("Ρόδος", "Ιστορία", "beginner").violations()).isEmpty();
    }

    @Test
    void boundsTheNumberOfSectionsAndTheLevel() {
        assertThat(new SubtopicsInput("x", 13).violations()).extracting(FieldViolation::field).containsExactly("input.count");
        assertThat(new SubtopicsInput("x", 0).violations()).hasSize(1);
        assertThat(new ExplanationInput("x", "y", "guru").violations()).extracting(FieldViolation::field)
                .containsExactly("input.level");
    }
}
