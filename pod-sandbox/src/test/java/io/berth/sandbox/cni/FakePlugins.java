package io.berth.sandbox.cni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shell-script CNI plugins for unit tests: each records its environment and stdin in a log dir
 * (numbered, so the call order is visible) and prints a canned result for ADD.
 */
final class FakePlugins {
  /** One recorded call. */
  record Call(String type, String command, String env, String stdin) {}

  private final Path binDir;
  private final Path logDir;

  FakePlugins(Path root) throws IOException {
    this.binDir = Files.createDirectories(root.resolve("bin"));
    this.logDir = Files.createDirectories(root.resolve("log"));
  }

  Path binDir() {
    return binDir;
  }

  /** A plugin that succeeds; ADD prints {@code addResult}. */
  void add(String type, String addResult) throws IOException {
    write(type, "case \"$CNI_COMMAND\" in ADD) cat <<'RESULT'\n" + addResult + "\nRESULT\n;; esac\nexit 0\n");
  }

  /** A plugin whose {@code failingCommand} fails with a CNI error result. */
  void failing(String type, String failingCommand, String addResult) throws IOException {
    write(type, "if [ \"$CNI_COMMAND\" = " + failingCommand + " ]; then\n"
        + "  echo '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"no more addresses\",\"details\":\"range full\"}'\n"
        + "  exit 1\nfi\n"
        + "case \"$CNI_COMMAND\" in ADD) cat <<'RESULT'\n" + addResult + "\nRESULT\n;; esac\nexit 0\n");
  }

  private void write(String type, String body) throws IOException {
    String script = "#!/bin/sh\n"
        + "n=$(ls '" + logDir + "' | wc -l)\n"
        + "f='" + logDir + "'/$(printf %03d \"$n\")-" + type + "-$CNI_COMMAND\n"
        + "env | grep '^CNI_' | sort > \"$f.env\"\n"
        + "cat > \"$f.stdin\"\n"
        + body;
    Path p = binDir.resolve(type);
    Files.writeString(p, script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  List<Call> calls() throws IOException {
    List<Call> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(logDir)) {
      for (Path env : s.filter(p -> p.toString().endsWith(".env")).sorted().toList()) {
        String base = env.getFileName().toString().replace(".env", "");
        String[] parts = base.split("-", 3);
        out.add(new Call(parts[1], parts[2], Files.readString(env),
            Files.readString(env.resolveSibling(base + ".stdin"))));
      }
    }
    return out;
  }

  void clearLog() throws IOException {
    try (Stream<Path> s = Files.list(logDir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
  }
}
