package io.berth.cli.config;

/**
 * The keys of crictl's client config file ({@code /etc/crictl.yaml}), with crictl's names and types.
 * {@code timeout} is in whole seconds as in crictl.
 */
public record CrictlConfig(String runtimeEndpoint, String imageEndpoint, int timeout, boolean debug,
                           boolean pullImageOnCreate, boolean disablePullOnRun) {
    public static final String RUNTIME_ENDPOINT = "runtime-endpoint";
    public static final String IMAGE_ENDPOINT = "image-endpoint";
    public static final String TIMEOUT = "timeout";
    public static final String DEBUG = "debug";
    public static final String PULL_IMAGE_ON_CREATE = "pull-image-on-create";
    public static final String DISABLE_PULL_ON_RUN = "disable-pull-on-run";

    public static CrictlConfig empty() {
        return new CrictlConfig("", "", 0, false, false, false);
    }

    /** crictl's {@code setValue}: one key from its string form, with crictl's error texts. */
    public CrictlConfig with(String key, String value) {
        return switch (key) {
            case RUNTIME_ENDPOINT -> new CrictlConfig(value, imageEndpoint, timeout, debug, pullImageOnCreate, disablePullOnRun);
            case IMAGE_ENDPOINT -> new CrictlConfig(runtimeEndpoint, value, timeout, debug, pullImageOnCreate, disablePullOnRun);
            case TIMEOUT -> new CrictlConfig(runtimeEndpoint, imageEndpoint, parseInt(key, value), debug,
                    pullImageOnCreate, disablePullOnRun);
            case DEBUG -> new CrictlConfig(runtimeEndpoint, imageEndpoint, timeout, parseBool(key, value),
                    pullImageOnCreate, disablePullOnRun);
            case PULL_IMAGE_ON_CREATE -> new CrictlConfig(runtimeEndpoint, imageEndpoint, timeout, debug,
                    parseBool(key, value), disablePullOnRun);
            case DISABLE_PULL_ON_RUN -> new CrictlConfig(runtimeEndpoint, imageEndpoint, timeout, debug,
                    pullImageOnCreate, parseBool(key, value));
            default -> throw new IllegalArgumentException("no configuration option named " + key);
        };
    }

    /** The value of one key as crictl prints it ({@code config --get}). */
    public String get(String key) {
        return switch (key) {
            case RUNTIME_ENDPOINT -> runtimeEndpoint;
            case IMAGE_ENDPOINT -> imageEndpoint;
            case TIMEOUT -> Integer.toString(timeout);
            case DEBUG -> Boolean.toString(debug);
            case PULL_IMAGE_ON_CREATE -> Boolean.toString(pullImageOnCreate);
            case DISABLE_PULL_ON_RUN -> Boolean.toString(disablePullOnRun);
            default -> throw new IllegalArgumentException("no configuration option named " + key);
        };
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parse " + key + " value '" + value + "': strconv.Atoi: parsing \""
                    + value + "\": invalid syntax");
        }
    }

    /** Go's strconv.ParseBool. */
    static boolean parseBool(String key, String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("parse " + key + " value '" + value
                    + "': strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }
}
