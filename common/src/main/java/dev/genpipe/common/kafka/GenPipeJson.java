package dev.genpipe.common.kafka;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the wire format. Unknown fields are ignored so that newer producers can add fields. */
public final class GenPipeJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private GenPipeJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
