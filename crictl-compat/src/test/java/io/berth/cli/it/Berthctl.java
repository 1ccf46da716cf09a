package io.berth.cli.it;

import io.berth.cli.BerthctlMain;
import io.berth.cli.app.Session;
import io.berth.cli.connect.CriConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * berthctl run in this JVM the way an operator runs it: a crictl.yaml naming the endpoint, the
 * command line, and stdout/stderr captured. In-process (BerthctlMain.run with the real unix-socket
 * connector) rather than a JVM per command: the sequences run some sixty commands.
 */
final class Berthctl {
    record Run(int code, String out, String err) {
        String describe(List<String> args) {
            return "berthctl " + String.join(" ", args) + " -> exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private final Path config;

    Berthctl(Path dir, String endpoint) throws IOException {
        this.config = dir.resolve("crictl.yaml");
        // timeout as crictl.yaml has it (seconds); pulls and pod starts on a loaded 2-core VM need more than 2 s
        Files.writeString(config, "runtime-endpoint: " + endpoint + "\nimage-endpoint: " + endpoint + "\ntimeout: 30\n");
    }

    Run run(String... args) {
        List<String> argv = new ArrayList<>(List.of("--config", config.toString()));
        argv.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream rawOut = new ByteArrayOutputStream();
        ByteArrayOutputStream rawErr = new ByteArrayOutputStream();
        int code = BerthctlMain.run(argv.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err), Map.of(),
                CriConnection::open, new Session.Streams(rawOut, rawErr));
        return new Run(code, out + rawOut.toString(StandardCharsets.UTF_8), err + rawErr.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed and says everything about it when it does not. */
    Run ok(String... args) {
        Run r = run(args);
        if (r.code() != 0) {
            throw new AssertionError(r.describe(List.of(args)));
        }
        return r;
    }
}
