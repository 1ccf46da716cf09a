package io.berth.cli;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Log;
import io.berth.cli.app.Session;
import io.berth.cli.command.VersionCommand;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code berthctl [global options] version} without picocli. Scripts call {@code version} as a health
 * check, often in loops, and picocli cannot be put in the class-data-sharing archive (its classes are
 * Java 5 class files, which CDS refuses, so they are parsed and verified on every start). Anything but
 * the plain global options and the bare command goes to the full parser; the options mean exactly what
 * {@link BerthctlCommand} declares, and the command runs the same code.
 */
final class FastPath {
    private FastPath() {
    }

    static OptionalInt tryRun(String[] args, BerthctlCommand root, PrintWriter out) {
        List<String> rest;
        try {
            rest = parseGlobals(args, root);
        } catch (IllegalArgumentException notSimple) {
            return OptionalInt.empty();
        }
        if (!rest.equals(List.of("version"))) {
            return OptionalInt.empty();
        }
        Log log = root.log();
        try {
            Session s = root.session(out);
            VersionCommand.print(s);
            return OptionalInt.of(0);
        } catch (CliException e) {
            log.fatal(e.getMessage());
            return OptionalInt.of(1);
        } catch (StatusRuntimeException e) {
            log.fatal(io.berth.cli.connect.RpcErrors.describe(e, null));
            return OptionalInt.of(1);
        }
    }

    /** Sets the root's global options from the leading arguments; returns the others. */
    static List<String> parseGlobals(String[] args, BerthctlCommand root) {
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                break;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "-D", "--debug" -> {
                    if (value != null) {
                        throw new IllegalArgumentException(a);
                    }
                    root.debug = Boolean.TRUE;
                }
                case "-c", "--config", "-r", "--runtime-endpoint", "-i", "--image-endpoint", "-t", "--timeout" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a);
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "-c", "--config" -> root.config = value;
                        case "-r", "--runtime-endpoint" -> root.runtimeEndpoint = value;
                        case "-i", "--image-endpoint" -> root.imageEndpoint = value;
                        default -> root.timeout = value;
                    }
                }
                default -> throw new IllegalArgumentException(a);
            }
        }
        return List.of(args).subList(i, args.length);
    }
}
