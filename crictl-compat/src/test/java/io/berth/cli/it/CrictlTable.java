package io.berth.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table as crictl prints it, checked against the layout of Go's text/tabwriter with crictl's settings
 * (minwidth 20, padding 3, blanks, last cell unpadded) and split into rows of header -> cell.
 */
record CrictlTable(List<String> headers, List<Map<String, String>> rows) {
    private static final int MIN_WIDTH = 20;
    private static final int PADDING = 3;

    /** The header names of a golden table in src/test/resources/golden/table (crictl's own output). */
    static List<String> goldenHeaders(String name) {
        try (InputStream in = CrictlTable.class.getResourceAsStream("/golden/table/" + name + ".out")) {
            String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")[0];
            return Arrays.asList(first.strip().split(" {2,}"));
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("golden table " + name, e);
        }
    }

    /** Parses {@code out} and fails unless it is laid out exactly as tabwriter lays out these headers and cells. */
    static CrictlTable parse(String out, List<String> expectedHeaders) {
        assertTrue(out.endsWith("\n"), "a table ends with a newline:\n" + out);
        String[] lines = out.split("\n");
        String header = lines[0];
        int[] start = new int[expectedHeaders.size()];
        int from = 0;
        for (int i = 0; i < start.length; i++) {
            start[i] = header.indexOf(expectedHeaders.get(i), from);
            assertTrue(start[i] >= 0 && (i > 0 || start[i] == 0), "header " + expectedHeaders.get(i) + " in order:\n" + out);
            from = start[i] + expectedHeaders.get(i).length();
        }
        List<List<String>> cells = new ArrayList<>();
        for (String line : lines) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < start.length; i++) {
                boolean last = i == start.length - 1;
                assertTrue(line.length() >= start[i], "row too short for column " + i + ": '" + line + "'\n" + out);
                String cell = last ? line.substring(start[i]) : line.substring(start[i], Math.min(line.length(), start[i + 1]));
                row.add(cell.stripTrailing());
                assertTrue(cell.isEmpty() || cell.charAt(0) != ' ', "cell starts at its column: '" + line + "'\n" + out);
                if (!last) {
                    assertTrue(line.length() >= start[i + 1], "a padded cell is followed by the next: '" + line + "'\n" + out);
                }
            }
            assertEquals(row.get(row.size() - 1), line.substring(start[start.length - 1]), "the last cell is not padded: '" + line + "'");
            cells.add(row);
        }
        assertEquals(expectedHeaders, cells.get(0), "header cells");
        for (int i = 0; i < start.length - 1; i++) {
            int widest = 0;
            for (List<String> row : cells) {
                widest = Math.max(widest, row.get(i).length());
            }
            assertEquals(Math.max(MIN_WIDTH, widest + PADDING), start[i + 1] - start[i],
                    "tabwriter width of column " + expectedHeaders.get(i) + " (minwidth 20, padding 3):\n" + out);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> row : cells.subList(1, cells.size())) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < start.length; i++) {
                m.put(expectedHeaders.get(i), row.get(i));
            }
            rows.add(m);
        }
        return new CrictlTable(expectedHeaders, rows);
    }

    /** The values of one column, top to bottom. */
    List<String> column(String header) {
        return rows.stream().map(r -> r.get(header)).toList();
    }
}
