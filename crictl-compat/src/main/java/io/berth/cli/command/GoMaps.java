package io.berth.cli.command;

import io.berth.cli.format.GoStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** fmt's %v of a map[string]string: "map[a:1 b:2]", keys sorted. */
final class GoMaps {
    private GoMaps() {
    }

    static String format(Map<String, String> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(GoStrings::compare);
        StringBuilder sb = new StringBuilder("map[");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(keys.get(i)).append(':').append(map.get(keys.get(i)));
        }
        return sb.append(']').toString();
    }

    static List<String> sortedKeys(Map<String, String> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(GoStrings::compare);
        return keys;
    }
}
