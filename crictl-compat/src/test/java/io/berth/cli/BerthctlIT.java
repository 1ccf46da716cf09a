package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged berthctl (launcher script, jar and lib/) against a real berthd started by the test
 * environment, over its unix socket.
 */
@ExtendWith(BerthExtension.class)
class BerthctlIT {
    private static final Path LAUNCHER = Path.of("src/main/scripts/berthctl");
    private static final Path BUILD = Path.of("target").toAbsolutePath();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run berthctl(BerthdProcess berthd, String... args) throws IOException, InterruptedException {
        Path config = tmp.resolve("crictl.yaml");
        Files.writeString(config, "runtime-endpoint: " + berthd.endpoint() + "\ntimeout: 10\n");
        List<String> argv = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        if (!args[0].equals("--train-cds")) {
            argv.addAll(List.of("--config", config.toString()));
        }
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("BERTHCTL_HOME", BUILD.toString());
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("berthctl " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionAnswersFromBerthd(BerthdProcess berthd) throws Exception {
        Run r = berthctl(berthd, "version");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.out());
        assertEquals("Version:  0.1.0", lines[0]);
        assertEquals("RuntimeName:  berth", lines[1]);
        assertTrue(lines[2].startsWith("RuntimeVersion:  ") && lines[2].length() > "RuntimeVersion:  ".length(), lines[2]);
        assertEquals("RuntimeApiVersion:  v1", lines[3]);
        assertEquals("", r.err(), "nothing on stderr (no netty warnings)");
    }

    @Test
    void infoPrintsStatusConditionsAsJsonAndYaml(BerthdProcess berthd) throws Exception {
        Run r = berthctl(berthd, "info");
        assertEquals(0, r.code(), r.err());
        JsonNode info = new ObjectMapper().readTree(r.out());
        List<String> types = new ArrayList<>();
        info.get("status").get("conditions").forEach(c -> types.add(c.get("type").asText()));
        assertTrue(types.containsAll(List.of("RuntimeReady", "NetworkReady")), r.out());
        List<String> keys = new ArrayList<>();
        info.fieldNames().forEachRemaining(keys::add);
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(String::compareTo);
        assertEquals(sorted, keys, "crictl prints info with sorted keys");

        Run yaml = berthctl(berthd, "info", "-o", "yaml");
        assertEquals(0, yaml.code(), yaml.err());
        assertTrue(yaml.out().contains("status:\n  conditions:\n  - "), yaml.out());

        Run tmpl = berthctl(berthd, "info", "-o", "go-template", "--template",
                "{{range .status.conditions}}{{.type}} {{end}}");
        assertEquals(0, tmpl.code(), tmpl.err());
        assertTrue(tmpl.out().startsWith("RuntimeReady NetworkReady") || tmpl.out().startsWith("NetworkReady RuntimeReady"), tmpl.out());
    }

    @Test
    void aMissingSocketIsOneFatalLine(BerthdProcess berthd) throws Exception {
        Run r = berthctl(berthd, "--runtime-endpoint", "unix://" + tmp.resolve("absent.sock"), "version");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].contains("level=fatal msg=\"getting the runtime version: rpc error: code = Unavailable desc = "
                + "connection error: desc = \\\"transport: Error while dialing: dial unix " + tmp.resolve("absent.sock")
                + ": connect: no such file or directory\\\"\""), lines[0]);
    }

    @Test
    void classDataSharingTrainingKeepsTheOutput(BerthdProcess berthd) throws Exception {
        Run before = berthctl(berthd, "version");
        Run train = berthctl(berthd, "--train-cds", berthd.endpoint());
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.size(BUILD.resolve("berthctl.jsa")) > 1_000_000, "an archive was written");
        Run after = berthctl(berthd, "version");
        assertEquals(0, after.code(), after.err());
        assertEquals(before.out(), after.out());
        assertEquals("", after.err());
    }

    @Test
    void unimplementedRpcsReportTheirCode(BerthdProcess berthd) throws Exception {
        // whatever berthd does not serve yet answers UNIMPLEMENTED; berthctl must show the code either way
        Run r = berthctl(berthd, "stats", "-o", "json");
        if (r.code() != 0) {
            assertTrue(r.err().contains("rpc error: code = "), r.err());
        } else {
            assertTrue(new ObjectMapper().readTree(r.out()).has("stats"), r.out());
        }
    }
}
