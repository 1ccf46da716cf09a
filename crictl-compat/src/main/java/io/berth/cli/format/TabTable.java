package io.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A table laid out exactly like Go's {@code text/tabwriter} with the settings crictl uses
 * ({@code minwidth=20, tabwidth=1, padding=3, padchar=' ', flags=0}), so that column positions match
 * crictl's byte for byte.
 *
 * <p>Each row is one line of tab-separated cells, as crictl's {@code display.AddRow} writes it. As in
 * tabwriter, every cell but the last of a line is "tab-terminated" and belongs to a column; the last
 * cell is never padded. A column's width is decided per <em>column block</em>: consecutive lines that
 * have a cell in that column. A line with a single cell flushes the writer, so it ends every block.
 */
public final class TabTable {
    public static final int CRICTL_MIN_WIDTH = 20;
    public static final int CRICTL_PADDING = 3;

    private final int minWidth;
    private final int padding;
    private final List<List<String>> lines = new ArrayList<>();

    public TabTable(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** The table crictl's {@code newDefaultTableDisplay()} makes. */
    public static TabTable crictlDefault() {
        return new TabTable(CRICTL_MIN_WIDTH, CRICTL_PADDING);
    }

    public TabTable addRow(String... cells) {
        return addRow(List.of(cells));
    }

    public TabTable addRow(List<String> cells) {
        lines.add(List.copyOf(cells));
        return this;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Renders all rows, each followed by a newline, and forgets them (like {@code Flush}). */
    public String render() {
        StringBuilder out = new StringBuilder();
        int segmentStart = 0;
        for (int i = 0; i < lines.size(); i++) {
            // tabwriter flushes after a line that has only one cell: later lines never widen
            // columns above it.
            if (lines.get(i).size() <= 1) {
                format(out, segmentStart, i + 1, new ArrayList<>());
                segmentStart = i + 1;
            }
        }
        format(out, segmentStart, lines.size(), new ArrayList<>());
        lines.clear();
        return out.toString();
    }

    private void format(StringBuilder out, int line0, int line1, List<Integer> widths) {
        int column = widths.size();
        int written = line0;
        for (int thisLine = line0; thisLine < line1; thisLine++) {
            if (column >= lines.get(thisLine).size() - 1) {
                continue;
            }
            // A cell exists in this column: write the lines above that have no cell here, then find
            // the block of consecutive lines that do and size the column over that block.
            writeLines(out, written, thisLine, widths);
            int blockStart = thisLine;
            int width = minWidth;
            for (; thisLine < line1; thisLine++) {
                List<String> line = lines.get(thisLine);
                if (column >= line.size() - 1) {
                    break;
                }
                width = Math.max(width, runeCount(line.get(column)) + padding);
            }
            widths.add(width);
            format(out, blockStart, thisLine, widths);
            widths.remove(widths.size() - 1);
            written = thisLine;
            thisLine--; // the for-loop's increment re-examines the line that ended the block
        }
        writeLines(out, written, line1, widths);
    }

    private void writeLines(StringBuilder out, int from, int to, List<Integer> widths) {
        for (int i = from; i < to; i++) {
            List<String> line = lines.get(i);
            for (int j = 0; j < line.size(); j++) {
                String cell = line.get(j);
                out.append(cell);
                if (j < widths.size() && j < line.size() - 1) {
                    out.append(" ".repeat(Math.max(0, widths.get(j) - runeCount(cell))));
                }
            }
            out.append('\n');
        }
    }

    private static int runeCount(String s) {
        return s.codePointCount(0, s.length());
    }
}
