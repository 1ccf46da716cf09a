package io.berth.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes crictl's flat YAML config file. A small line-based reader rather than a YAML library
 * keeps {@code berthctl version} fast (the file is read on every start); writing keeps the user's
 * lines and comments, replacing values in place and appending new keys, as crictl (yaml.v3 nodes) does.
 */
public final class CrictlConfigFile {
    private static final List<String> KEY_ORDER = List.of(CrictlConfig.RUNTIME_ENDPOINT,
            CrictlConfig.IMAGE_ENDPOINT, CrictlConfig.TIMEOUT, CrictlConfig.DEBUG,
            CrictlConfig.PULL_IMAGE_ON_CREATE, CrictlConfig.DISABLE_PULL_ON_RUN);

    private CrictlConfigFile() {
    }

    /** Parses the file; an unknown key or a bad value fails with crictl's message. */
    public static CrictlConfig read(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8));
    }

    public static CrictlConfig parse(String text) {
        CrictlConfig config = CrictlConfig.empty();
        for (String raw : text.split("\n", -1)) {
            Entry e = Entry.parse(raw);
            if (e == null) {
                continue;
            }
            if (!KEY_ORDER.contains(e.key())) {
                throw new IllegalArgumentException("Config option '" + e.key() + "' is not valid");
            }
            try {
                config = config.with(e.key(), e.value());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("parsing config option '" + e.key() + "': " + bad.getMessage());
            }
        }
        return config;
    }

    /** Writes {@code config}, keeping the existing file's other lines (crictl's WriteConfig). */
    public static void write(Path path, CrictlConfig config) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(path)) {
            lines.addAll(List.of(Files.readString(path, StandardCharsets.UTF_8).split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
        }
        for (String key : KEY_ORDER) {
            String rendered = key + ": " + render(key, config.get(key));
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                Entry e = Entry.parse(lines.get(i));
                if (e != null && e.key().equals(key)) {
                    lines.set(i, rendered + e.comment());
                    found = true;
                }
            }
            if (!found) {
                lines.add(rendered);
            }
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".crictl", ".yaml");
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** yaml.v3 quotes an empty string; the other values of crictl's file never need quoting. */
    private static String render(String key, String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean isString = key.equals(CrictlConfig.RUNTIME_ENDPOINT) || key.equals(CrictlConfig.IMAGE_ENDPOINT);
        if (isString && (value.matches("(?i)true|false|yes|no|on|off|null|~|[-+]?[0-9.]+") || value.contains(": ")
                || value.contains(" #") || value.startsWith(" ") || value.endsWith(" "))) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return value;
    }

    /** One "key: value  # comment" line. */
    private record Entry(String key, String value, String comment) {
        static Entry parse(String line) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.equals("---") || trimmed.equals("...")) {
                return null;
            }
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("yaml: line is not a key: value pair: " + trimmed);
            }
            String key = unquote(trimmed.substring(0, colon).strip());
            String rest = trimmed.substring(colon + 1);
            String comment = "";
            String value;
            String r = rest.strip();
            if (r.startsWith("\"") || r.startsWith("'")) {
                char q = r.charAt(0);
                int end = r.indexOf(q, 1);
                while (q == '"' && end > 0 && r.charAt(end - 1) == '\\') {
                    end = r.indexOf(q, end + 1);
                }
                if (end < 0) {
                    throw new IllegalArgumentException("yaml: unterminated quoted value for " + key);
                }
                value = unquote(r.substring(0, end + 1));
                String after = r.substring(end + 1);
                int hash = after.indexOf('#');
                comment = hash >= 0 ? " " + after.substring(hash) : "";
            } else {
                int hash = indexOfComment(rest);
                if (hash >= 0) {
                    comment = " " + rest.substring(hash);
                    rest = rest.substring(0, hash);
                }
                value = rest.strip();
                if (value.equals("~") || value.equals("null")) {
                    value = "";
                }
            }
            return new Entry(key, value, comment);
        }

        private static int indexOfComment(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '#' && (i == 0 || s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
                    return i;
                }
            }
            return -1;
        }

        private static String unquote(String s) {
            if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
                return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
                return s.substring(1, s.length() - 1).replace("''", "'");
            }
            return s;
        }
    }
}
