package io.berth.sandbox.infra;

import io.berth.cri.v1.PodSandboxConfig;
import io.berth.sandbox.PodInfraProcess;
import io.berth.sandbox.ns.NamespaceKind;
import io.berth.sandbox.ns.PodNamespaces;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PID-namespace holder of a shared-PID pod: the host's {@code catatonit -P} (a pause-style
 * init that only reaps), started as PID 1 of a new PID namespace inside the pod's pinned
 * net/IPC/UTS namespaces:
 *
 * <pre>setsid nsenter --net=PIN --ipc=PIN --uts=PIN -- unshare --pid --fork --kill-child -- catatonit -P</pre>
 *
 * <p>Unlike containerd's pause container this costs no OCI runtime call, no rootfs and no shim:
 * two small processes (unshare waiting on catatonit). setsid puts them in their own session and
 * their stdio is /dev/null, so they outlive berthd. Containers join {@code /proc/PID/ns/pid}.
 */
public final class CatatonitInfraProcess implements PodInfraProcess {
  private static final long START_TIMEOUT_MS = 5_000;

  private final Optional<Path> catatonit;
  private final Path nsenter;
  private final Path unshare;
  private final Path setsid;

  public CatatonitInfraProcess(Optional<Path> catatonit, Path nsenter, Path unshare, Path setsid) {
    this.catatonit = catatonit;
    this.nsenter = nsenter;
    this.unshare = unshare;
    this.setsid = setsid;
  }

  @Override
  public boolean available() {
    return catatonit.isPresent();
  }

  @Override
  public long start(String sandboxId, PodNamespaces namespaces, PodSandboxConfig config) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(setsid.toString(), nsenter.toString()));
    for (NamespaceKind kind : NamespaceKind.values()) {
      Path pin = namespaces.path(kind);
      if (pin != null) {
        cmd.add("--" + kind.fileName() + "=" + pin);
      }
    }
    cmd.addAll(List.of("--", unshare.toString(), "--pid", "--fork", "--kill-child", "--",
        catatonit.orElseThrow().toString(), "-P"));
    Process launcher = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    // nsenter execs unshare (same pid); unshare forks catatonit: its only child is the init.
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      long child = onlyChild(launcher.pid());
      if (child > 0 && isCatatonit(child)) {
        return child;
      }
      if (!launcher.isAlive()) {
        throw new IOException("pod infra process for " + sandboxId + " exited with " + launcher.exitValue()
            + " (" + String.join(" ", cmd) + ")");
      }
      sleep(2);
    }
    launcher.destroyForcibly();
    throw new IOException("pod infra process for " + sandboxId + " did not start within " + START_TIMEOUT_MS + " ms");
  }

  @Override
  public boolean isAlive(String sandboxId, long pid) {
    return isCatatonit(pid);
  }

  @Override
  public void stop(String sandboxId, long pid) throws IOException {
    if (!isCatatonit(pid)) {
      return;
    }
    // SIGKILL from outside the namespace ends its init at once; unshare (--kill-child) then exits.
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (isCatatonit(pid) && System.currentTimeMillis() < deadline) {
      sleep(2);
    }
    if (isCatatonit(pid)) {
      throw new IOException("pod infra process " + pid + " of " + sandboxId + " did not exit");
    }
  }

  private static boolean isCatatonit(long pid) {
    try {
      String comm = Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
      // a zombie still has a comm; it no longer holds a usable PID namespace
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return comm.equals("catatonit") && state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long onlyChild(long pid) {
    try {
      String children = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim();
      if (children.isEmpty() || children.contains(" ")) {
        return -1;
      }
      return Long.parseLong(children);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
