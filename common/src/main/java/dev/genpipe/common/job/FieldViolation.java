package dev.genpipe.common.job;

/** One invalid field of a request: the JSON path of the field and what is wrong with it. */
public record FieldViolation(String field, String message) {
}
