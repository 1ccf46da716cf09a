package io.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** berthctl's own version, from the build (filtered into berthctl.properties). */
public final class BerthctlVersion {
    private BerthctlVersion() {
    }

    public static String version() {
        try (InputStream in = BerthctlVersion.class.getResourceAsStream("/io/berth/cli/berthctl.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static String line() {
        return "berthctl version " + version();
    }
}
