package io.berth.cli.command;

import io.berth.cli.BerthctlCommand;
import io.berth.cli.app.CliException;
import io.berth.cli.app.Session;
import io.berth.cli.app.ShowHelpException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A berthctl subcommand: runs in the session its parent built, reports failures like crictl. */
public abstract class CriCommand implements Callable<Integer> {
    @ParentCommand
    protected BerthctlCommand root;

    @Spec
    protected CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show help")
    boolean help;

    @Override
    public final Integer call() {
        Session session = root.session(spec.commandLine().getOut());
        run(session);
        session.out().flush();
        return 0;
    }

    protected abstract void run(Session s);

    /** Calls one RPC; a gRPC failure becomes "context: rpc error: code = ... desc = ...". */
    protected static <T> T rpc(Session s, String context, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw s.rpcFailure(context, e);
        }
    }

    /** Same, for the image service (errors name the image endpoint). */
    protected static <T> T imageRpc(Session s, String context, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw s.rpcFailure(context, e, true);
        }
    }

    protected static CliException fail(String message) {
        return new CliException(message);
    }

    protected static ShowHelpException showHelp() {
        return new ShowHelpException();
    }

    /** Go's fmt %q of a string. */
    protected static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
