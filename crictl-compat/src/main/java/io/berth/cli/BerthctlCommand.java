package io.berth.cli;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Log;
import io.berth.cli.app.Session;
import io.berth.cli.app.Settings;
import io.berth.cli.config.CrictlConfig;
import io.berth.cli.config.CrictlConfigFile;
import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.Endpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command: crictl's global flags, and the session every subcommand runs in. */
@Command(name = "berthctl", description = "client for CRI",
        synopsisSubcommandLabel = "command",
        footer = {"", "berthctl is a crictl-compatible client for any CRI endpoint (berth by default)."})
public final class BerthctlCommand implements Runnable {
    @Option(names = {"-c", "--config"}, paramLabel = "PATH",
            description = "Location of the client config file (default: \"/etc/crictl.yaml\") [$CRI_CONFIG_FILE]")
    String config;

    @Option(names = {"-r", "--runtime-endpoint"}, paramLabel = "ENDPOINT",
            description = "Endpoint of CRI container runtime service (default: \"" + Settings.DEFAULT_ENDPOINT
                    + "\") [$CONTAINER_RUNTIME_ENDPOINT]")
    String runtimeEndpoint;

    @Option(names = {"-i", "--image-endpoint"}, paramLabel = "ENDPOINT",
            description = "Endpoint of CRI image manager service (default: uses 'runtime-endpoint' setting) "
                    + "[$IMAGE_SERVICE_ENDPOINT]")
    String imageEndpoint;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION",
            description = "Timeout of connecting to the server in seconds (e.g. 2s, 20s.). 0 or less is set to default (default: 2s)")
    String timeout;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode (default: false)")
    Boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show help")
    boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "print the version")
    boolean version;

    private final Map<String, String> env;
    private final PrintWriter err;
    private final Function<Endpoint, CriConnection> connector;
    private final Session.Streams streams;
    private Log log;
    private Session session;

    BerthctlCommand(Map<String, String> env, PrintWriter err, Function<Endpoint, CriConnection> connector,
                    Session.Streams streams) {
        this.env = env;
        this.err = err;
        this.connector = connector;
        this.streams = streams;
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "no command given");
    }

    /** The path of the client config file: --config, then $CRI_CONFIG_FILE, then /etc/crictl.yaml. */
    public String configPath() {
        if (config != null) {
            return config;
        }
        String fromEnv = env.get("CRI_CONFIG_FILE");
        return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : Settings.DEFAULT_CONFIG_PATH;
    }

    public Log log() {
        if (log == null) {
            log = new Log(err, BerthctlMain.stderrIsTerminal());
        }
        return log;
    }

    /** Builds the session once, reading the config file as crictl's app.Before does. */
    public Session session(PrintWriter out) {
        if (session != null) {
            return session;
        }
        Log l = log();
        String path = configPath();
        boolean configGiven = config != null || env.get("CRI_CONFIG_FILE") != null;
        CrictlConfig fileConfig = null;
        try {
            fileConfig = CrictlConfigFile.read(Path.of(path));
        } catch (NoSuchFileException e) {
            if (configGiven) {
                throw new CliException("load config file: stat " + path + ": no such file or directory");
            }
            l.setDebug(Boolean.TRUE.equals(debug));
            l.debug("Config \"" + path + "\" does not exist, using defaults");
        } catch (Exception e) {
            if (configGiven || Files.exists(Path.of(path))) {
                throw new CliException("load config file: " + e.getMessage());
            }
        }
        Settings.Flags flags = new Settings.Flags(
                firstNonNull(runtimeEndpoint, env.get("CONTAINER_RUNTIME_ENDPOINT")),
                firstNonNull(imageEndpoint, env.get("IMAGE_SERVICE_ENDPOINT")),
                timeout, debug, path);
        Settings settings;
        try {
            settings = Settings.resolve(flags, fileConfig, path);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid value \"" + timeout + "\" for flag -timeout: parse error");
        }
        l.setDebug(settings.debug());
        session = new Session(settings, out, l, connector, streams);
        return session;
    }

    void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
