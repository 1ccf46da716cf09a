package io.berth.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

/** Test access to StatusOutput's package-private number normalisation. */
public final class StatusOutputAccess {
    private StatusOutputAccess() {
    }

    public static JsonNode asFloat64Numbers(JsonNode node) {
        return StatusOutput.asFloat64Numbers(node);
    }
}
