package dev.genpipe.common.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The input of a job; one record per {@link JobType}. Validation lives here so that the API rejects
 * bad input with a 400 and a worker never calls Gemini with it.
 */
public sealed interface JobInput permits SubtopicsInput, ExplanationInput, PresentationInput {

    int MAX_TEXT_LENGTH = 200;

    JobType type();

    /** Empty when valid. Field names are JSON paths relative to the request ({@code input.topic}). */
    List<FieldViolation> violations();

    /** The input with case and white space folded: identical requests meet on one partition and one cache entry. */
    String normalized();

    static String normalize(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static void checkText(String field, String value, List<FieldViolation> out) {
        if (value == null || value.isBlank()) {
            out.add(new FieldViolation(field, "must not be blank"));
        } else if (value.length() > MAX_TEXT_LENGTH) {
            out.add(new FieldViolation(field, "must be at most " + MAX_TEXT_LENGTH + " characters"));
        } else if (value.chars().anyMatch(c -> Character.isISOControl(c))) {
            out.add(new FieldViolation(field, "must not contain control characters"));
        } else if (value.codePoints().anyMatch(JobInput::invisible)) {
            out.add(new FieldViolation(field, "must not contain invisible formatting characters (such as bidi "
                    + "overrides) or unpaired surrogates"));
        }
    }

    /**
     * Format characters (bidi overrides, zero-width spaces, BOM) hide or reorder text, and a lone surrogate is not
     * text at all; the zero-width joiner stays allowed (emoji sequences use it).
     */
    private static boolean invisible(int codePoint) {
        return (Character.getType(codePoint) == Character.FORMAT && codePoint != 0x200D)
                || Character.getType(codePoint) == Character.SURROGATE;
    }

    static List<FieldViolation> newViolations() {
        return new ArrayList<>(2);
    }
}
