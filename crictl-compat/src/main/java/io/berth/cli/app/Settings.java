package io.berth.cli.app;

import io.berth.cli.config.CrictlConfig;
import java.time.Duration;

/**
 * The client settings after crictl's precedence: a flag (or its environment variable) wins over the
 * config file, which wins over the default.
 */
public record Settings(String runtimeEndpoint, boolean runtimeEndpointSet, String imageEndpoint,
                       boolean imageEndpointSet, Duration timeout, boolean debug, boolean pullImageOnCreate,
                       boolean disablePullOnRun, String configPath) {
    public static final String DEFAULT_ENDPOINT = "unix:///run/berth/berth.sock";
    public static final String DEFAULT_CONFIG_PATH = "/etc/crictl.yaml";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** Flag values as given (null when not given), environment already folded in. */
    public record Flags(String runtimeEndpoint, String imageEndpoint, String timeout, Boolean debug,
                        String configPath) {
    }

    public static Settings resolve(Flags flags, CrictlConfig config, String configPath) {
        if (config == null) {
            config = CrictlConfig.empty();
        }
        String runtime;
        boolean runtimeSet;
        if (flags.runtimeEndpoint() != null) {
            runtime = flags.runtimeEndpoint();
            runtimeSet = true;
        } else if (!config.runtimeEndpoint().isEmpty()) {
            runtime = config.runtimeEndpoint();
            runtimeSet = true;
        } else {
            runtime = DEFAULT_ENDPOINT;
            runtimeSet = false;
        }
        String image;
        boolean imageSet;
        if (flags.imageEndpoint() != null) {
            image = flags.imageEndpoint();
            imageSet = true;
        } else if (!config.imageEndpoint().isEmpty()) {
            image = config.imageEndpoint();
            imageSet = true;
        } else {
            image = "";
            imageSet = false;
        }
        Duration timeout;
        if (flags.timeout() != null) {
            Duration d = GoDuration.parse(flags.timeout());
            timeout = d.isNegative() || d.isZero() ? DEFAULT_TIMEOUT : d;
        } else if (config.timeout() > 0) {
            timeout = Duration.ofSeconds(config.timeout());
        } else {
            timeout = DEFAULT_TIMEOUT;
        }
        boolean debug = flags.debug() != null ? flags.debug() : config.debug();
        return new Settings(runtime, runtimeSet, image, imageSet, timeout, debug, config.pullImageOnCreate(),
                config.disablePullOnRun(), configPath);
    }

    /** The image endpoint, defaulting to the runtime endpoint as crictl does. */
    public String effectiveImageEndpoint() {
        return imageEndpoint.isEmpty() ? runtimeEndpoint : imageEndpoint;
    }
}
