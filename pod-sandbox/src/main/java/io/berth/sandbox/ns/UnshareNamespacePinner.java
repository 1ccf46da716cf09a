package io.berth.sandbox.ns;

import io.berth.os.CommandRunner;
import io.berth.os.Linux;
import io.berth.os.MountTable;
import io.berth.sandbox.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pins namespaces with util-linux: {@code unshare --net=FILE --ipc=FILE --uts=FILE sh -c SCRIPT}.
 * unshare creates the namespaces, bind-mounts each onto its file, then runs a tiny shell inside
 * them that sets the hostname and writes namespaced sysctls ({@code /proc/sys} resolves to the
 * writer's namespaces). The JVM's own threads never change namespace.
 *
 * <p>Layout: {@code <pinRoot>/<sandboxId>/{net,ipc,uts}}. The pin root is a private mount, so the
 * nsfs bind mounts do not propagate into other mount namespaces (where they would keep the
 * namespaces alive after we unmount ours).
 */
public final class UnshareNamespacePinner implements NamespacePinner {
  /** Arguments: hostname (empty: leave it), then triplets name, path below /proc/sys, value. */
  static final String SCRIPT = String.join("\n",
      "h=\"$1\"; shift",
      "if [ -n \"$h\" ]; then printf '%s' \"$h\" > /proc/sys/kernel/hostname || exit 1; fi",
      "while [ $# -ge 3 ]; do",
      "  if [ ! -e \"/proc/sys/$2\" ]; then echo \"sysctl $1 does not exist in the pod's namespaces\" >&2; exit 3; fi",
      "  printf '%s\\n' \"$3\" > \"/proc/sys/$2\" || { echo \"sysctl $1 rejected the value '$3'\" >&2; exit 4; }",
      "  shift 3",
      "done");
  private static final int EXIT_NO_SUCH_SYSCTL = 3;
  private static final int EXIT_SYSCTL_REJECTED = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path pinRoot;
  private final Linux linux;
  private final MountTable mounts;
  private final CommandRunner runner;
  private final String unshare;
  private final String nsenter;
  private final Object rootSetup = new Object();
  private volatile boolean rootReady;

  public UnshareNamespacePinner(Path pinRoot, Linux linux, MountTable mounts, CommandRunner runner,
      String unsharePath, String nsenterPath) {
    this.pinRoot = pinRoot.toAbsolutePath().normalize();
    this.linux = linux;
    this.mounts = mounts;
    this.runner = runner;
    this.unshare = unsharePath;
    this.nsenter = nsenterPath;
  }

  public Path pinRoot() {
    return pinRoot;
  }

  /**
   * Makes the pin root a private mount (a bind mount of itself). Idempotent and safe after a
   * berthd restart, when the mount already exists.
   */
  public void ensurePinRoot() throws IOException {
    if (rootReady) {
      return;
    }
    synchronized (rootSetup) {
      if (rootReady) {
        return;
      }
      Files.createDirectories(pinRoot);
      if (!mounts.isMountPoint(pinRoot)) {
        linux.bindMount(pinRoot.toString(), pinRoot.toString(), false);
      }
      linux.mount(null, pinRoot.toString(), null, Linux.MS_PRIVATE, null);
      rootReady = true;
    }
  }

  /**
   * At shutdown: drops the pin root's self bind mount when no pod is pinned under it, so a node
   * (or a test) without pods keeps no berth mount. With pods it stays: their pins live in it.
   */
  public void releasePinRootIfUnused() {
    synchronized (rootSetup) {
      try (java.util.stream.Stream<Path> entries = Files.list(pinRoot)) {
        if (entries.findAny().isEmpty() && mounts.isMountPoint(pinRoot)) {
          linux.unmountIfMounted(pinRoot.toString());
          rootReady = false;
        }
      } catch (IOException e) {
        // best effort: a remaining mount is harmless and reused by the next berthd
      }
    }
  }

  @Override
  public PodNamespaces pin(String sandboxId, Set<NamespaceKind> kinds, String hostname,
      List<Sysctl> sysctls) throws IOException {
    if (kinds.isEmpty()) {
      return PodNamespaces.none();
    }
    ensurePinRoot();
    Path dir = pinDir(sandboxId);
    Files.createDirectories(dir);
    Map<NamespaceKind, Path> pins = new EnumMap<>(NamespaceKind.class);
    List<String> cmd = new ArrayList<>();
    cmd.add(unshare);
    for (NamespaceKind kind : NamespaceKind.values()) {
      if (kinds.contains(kind)) {
        Path pin = pinPath(sandboxId, kind);
        if (!Files.exists(pin)) {
          Files.createFile(pin);
        }
        pins.put(kind, pin);
        cmd.add("--" + kind.fileName() + "=" + pin);
      }
    }
    cmd.add("/bin/sh");
    cmd.add("-c");
    cmd.add(SCRIPT);
    cmd.add("pin");
    cmd.add(kinds.contains(NamespaceKind.UTS) && hostname != null ? hostname : "");
    addSysctlArgs(cmd, sysctls);
    try {
      runChecked(cmd, "unshare for sandbox " + sandboxId);
    } catch (IOException | RuntimeException e) {
      try {
        unpin(sandboxId);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return new PodNamespaces(pins);
  }

  @Override
  public void applySysctls(PodNamespaces namespaces, List<Sysctl> sysctls) throws IOException {
    if (sysctls.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(nsenter);
    for (NamespaceKind kind : NamespaceKind.values()) {
      if (namespaces.has(kind)) {
        cmd.add("--" + kind.fileName() + "=" + namespaces.path(kind));
      }
    }
    cmd.add("/bin/sh");
    cmd.add("-c");
    cmd.add(SCRIPT);
    cmd.add("sysctl");
    cmd.add("");
    addSysctlArgs(cmd, sysctls);
    runChecked(cmd, "nsenter to apply sysctls");
  }

  @Override
  public Path pinPath(String sandboxId, NamespaceKind kind) {
    return pinDir(sandboxId).resolve(kind.fileName());
  }

  @Override
  public boolean isPinned(Path pin) throws IOException {
    MountTable.Entry e = mounts.find(pin);
    return e != null && e.fsType().equals("nsfs");
  }

  @Override
  public void unpin(String sandboxId) throws IOException {
    Path dir = pinDir(sandboxId);
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (NamespaceKind kind : NamespaceKind.values()) {
      Path pin = dir.resolve(kind.fileName());
      // Detaching unmount: a namespace still entered by a process lives on until it exits.
      linux.unmountIfMounted(pin.toString());
      Files.deleteIfExists(pin);
    }
    try (Stream<Path> rest = Files.list(dir)) {
      for (Path p : (Iterable<Path>) rest::iterator) {
        linux.unmountIfMounted(p.toString());
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  Path pinDir(String sandboxId) {
    return pinRoot.resolve(sandboxId);
  }

  private static void addSysctlArgs(List<String> cmd, List<Sysctl> sysctls) {
    for (Sysctl s : sysctls) {
      cmd.add(s.name());
      cmd.add(s.procPath());
      cmd.add(s.value());
    }
  }

  private void runChecked(List<String> cmd, String what) throws IOException {
    CommandRunner.Result r = runner.run(cmd, Map.of(), null, TIMEOUT);
    if (r.exitCode() == EXIT_NO_SUCH_SYSCTL || r.exitCode() == EXIT_SYSCTL_REJECTED) {
      throw Errors.invalidArgument("config.linux.sysctls: " + r.stderrText());
    }
    if (r.exitCode() != 0) {
      throw new IOException(what + " failed (exit " + r.exitCode() + "): " + r.stderrText());
    }
  }
}
