package io.berth.cli.command;

import io.berth.cli.app.CliException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** crictl's parseLabelStringSlice: key=value pairs, exactly one '=' each. */
final class Labels {
    private Labels() {
    }

    static Map<String, String> parse(List<String> pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (pairs == null) {
            return labels;
        }
        for (String s : pairs) {
            String[] pair = s.split("=", -1);
            if (pair.length != 2) {
                throw new CliException("incorrectly specified label: " + s);
            }
            labels.put(pair[0], pair[1]);
        }
        return labels;
    }
}
