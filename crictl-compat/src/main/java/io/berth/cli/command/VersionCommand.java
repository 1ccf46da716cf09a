package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cri.v1.VersionRequest;
import io.berth.cri.v1.VersionResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "version", description = "Display runtime version information")
public final class VersionCommand extends CriCommand {
    @Parameters(arity = "0..*", hidden = true)
    List<String> extra;

    /** The CRI version crictl asks for. */
    static final String CRI_VERSION = "v1";

    @Override
    protected void run(Session s) {
        if (extra != null && !extra.isEmpty()) {
            throw showHelp();
        }
        print(s);
    }

    /** The RPC and crictl's output; also run by BerthctlMain's fast path. */
    public static void print(Session s) {
        VersionResponse r = rpc(s, "getting the runtime version",
                () -> s.runtime().version(VersionRequest.newBuilder().setVersion(CRI_VERSION).build()));
        // lazily: printing a message builds the whole CRI descriptor, which costs start-up time
        s.log().debug(() -> "VersionResponse: " + com.google.protobuf.TextFormat.shortDebugString(r));
        // fmt.Println("Version: ", v) puts a space between its two operands: two spaces in all
        s.out().print("Version:  " + r.getVersion() + "\n");
        s.out().print("RuntimeName:  " + r.getRuntimeName() + "\n");
        s.out().print("RuntimeVersion:  " + r.getRuntimeVersion() + "\n");
        s.out().print("RuntimeApiVersion:  " + r.getRuntimeApiVersion() + "\n");
        s.out().flush();
    }
}
