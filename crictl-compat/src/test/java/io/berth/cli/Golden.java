package io.berth.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden files under src/test/resources/golden: inputs written by hand, expected outputs produced
 * by crictl's own Go libraries (src/test/golden-gen/generate.sh).
 */
public final class Golden {
    public static final Path ROOT = Path.of("src/test/resources/golden");

    private Golden() {
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> files(String dir, String suffix) {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no golden " + suffix + " files in " + ROOT.resolve(dir));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path sibling(Path p, String oldSuffix, String newSuffix) {
        String name = p.getFileName().toString();
        return p.resolveSibling(name.substring(0, name.length() - oldSuffix.length()) + newSuffix);
    }
}
