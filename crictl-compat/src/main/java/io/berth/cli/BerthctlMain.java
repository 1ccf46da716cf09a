package io.berth.cli;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Log;
import io.berth.cli.app.MultiErrorException;
import io.berth.cli.app.Session;
import io.berth.cli.app.ShowHelpException;
import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.Endpoint;
import io.grpc.StatusRuntimeException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;

/** {@code berthctl}: a crictl-compatible CLI for any CRI endpoint. */
public final class BerthctlMain {
    /** Global options that take a value, so that their value is not mistaken for the command name. */
    private static final Set<String> GLOBAL_OPTIONS_WITH_VALUE = Set.of("-c", "--config", "-r",
            "--runtime-endpoint", "-i", "--image-endpoint", "-t", "--timeout");

    private BerthctlMain() {
    }

    public static void main(String[] args) {
        tuneNettyForOneShotClient();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, out, err, System.getenv(), CriConnection::open,
                new Session.Streams(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                        new java.io.FileOutputStream(java.io.FileDescriptor.err)));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Netty settings for a process that makes a handful of calls and exits: a fixed machine id skips
     * enumerating network interfaces for channel ids, and leak detection is off (it samples buffers and
     * loads classes for nothing here). Set only when the user has not set them.
     */
    static void tuneNettyForOneShotClient() {
        for (String prefix : new String[] {"io.grpc.netty.shaded.", ""}) {
            System.getProperties().putIfAbsent(prefix + "io.netty.machineId", "02:00:00:be:47:01");
            System.getProperties().putIfAbsent(prefix + "io.netty.leakDetection.level", "disabled");
        }
    }

    /** Runs one invocation; the seam tests use with an in-process connector. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
                          Function<Endpoint, CriConnection> connector, Session.Streams streams) {
        BerthctlCommand root = new BerthctlCommand(env, err, connector, streams);
        var fast = FastPath.tryRun(args, root, out);
        if (fast.isPresent()) {
            root.closeSession();
            out.flush();
            return fast.getAsInt();
        }
        root = new BerthctlCommand(env, err, connector, streams);
        CommandLine cl = new CommandLine(root);
        cl.getCommandSpec().version(BerthctlVersion.line());
        CommandRegistry.Entry only = CommandRegistry.find(commandWord(args));
        for (CommandRegistry.Entry e : CommandRegistry.ALL) {
            if (only == null || only == e) {
                cl.addSubcommand(e.name(), e.factory().get(), e.aliases().toArray(new String[0]));
            }
        }
        if (only == null) {
            cl.addSubcommand("help", new CommandLine.HelpCommand(), "h");
        }
        // after the subcommands are added, so that they write where the root writes
        cl.setOut(out);
        cl.setErr(err);
        BerthctlCommand parsedRoot = root;
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, commandLine, parsedRoot));
        cl.setParameterExceptionHandler((ex, a) -> {
            Log log = parsedRoot.log();
            ex.getCommandLine().usage(out);
            out.flush();
            log.fatal(ex.getMessage());
            return 1;
        });
        try {
            return cl.execute(args);
        } finally {
            parsedRoot.closeSession();
            out.flush();
        }
    }

    private static int handle(Exception ex, CommandLine commandLine, BerthctlCommand root) {
        Log log = root.log();
        if (ex instanceof ShowHelpException) {
            commandLine.usage(commandLine.getOut());
            return 0;
        }
        if (ex instanceof MultiErrorException multi) {
            PrintWriter err = commandLine.getErr();
            multi.errors().forEach(err::println);
            err.flush();
            return 1;
        }
        if (ex instanceof CliException) {
            log.fatal(ex.getMessage());
            return 1;
        }
        if (ex instanceof StatusRuntimeException sre) {
            log.fatal(io.berth.cli.connect.RpcErrors.describe(sre, null));
            return 1;
        }
        log.fatal(ex.toString());
        if (log.isDebug()) {
            ex.printStackTrace(new PrintWriter(System.err, true));
        }
        return 1;
    }

    /** The first argument that is neither a global option nor the value of one. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return i + 1 < args.length ? args[i + 1] : "";
            }
            if (a.startsWith("-")) {
                if (GLOBAL_OPTIONS_WITH_VALUE.contains(a)) {
                    i++;
                }
                continue;
            }
            return a;
        }
        return "";
    }

    static boolean stderrIsTerminal() {
        return Log.stderrIsTerminal();
    }
}
