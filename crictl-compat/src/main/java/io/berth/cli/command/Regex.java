package io.berth.cli.command;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** crictl's matchesRegex: an empty pattern matches, a bad pattern does not, otherwise a partial match. */
final class Regex {
    private Regex() {
    }

    static boolean matches(String pattern, String target) {
        if (pattern == null || pattern.isEmpty()) {
            return true;
        }
        try {
            return Pattern.compile(pattern).matcher(target).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
