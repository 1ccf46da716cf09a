package io.berth.cli;

import io.berth.cli.app.Session;
import io.berth.cli.connect.CriConnection;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run behind {@code berthctl --train-cds}: runs berthctl's everyday commands in one JVM,
 * so that the class-data-sharing archive written at its exit holds the classes of all of them (a normal
 * invocation only loads the command it runs). Output is discarded and failures are expected.
 */
public final class CdsTraining {
    private static final List<List<String>> COMMANDS = List.of(
            List.of("version"), List.of("info"), List.of("info", "-o", "yaml"), List.of("images"),
            List.of("images", "-o", "json"), List.of("pods"), List.of("ps", "-a"), List.of("inspecti", "-q", "x"),
            List.of("inspectp", "x"), List.of("inspect", "x"), List.of("imagefsinfo"), List.of("stats", "-o", "json"),
            List.of("info", "-o", "go-template", "--template", "{{range .status.conditions}}{{.type}}{{end}}"),
            List.of("--help"), List.of("completion"), List.of("config", "--help"));

    private CdsTraining() {
    }

    public static void main(String[] args) {
        BerthctlMain.tuneNettyForOneShotClient();
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        Session.Streams streams = new Session.Streams(OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        for (List<String> command : COMMANDS) {
            List<String> argv = new ArrayList<>();
            if (args.length > 0) {
                argv.add("--runtime-endpoint");
                argv.add(args[0]);
            }
            argv.addAll(command);
            try {
                BerthctlMain.run(argv.toArray(new String[0]), sink, sink, System.getenv(), CriConnection::open, streams);
            } catch (RuntimeException ignored) {
                // training only needs the classes loaded
            }
        }
    }
}
