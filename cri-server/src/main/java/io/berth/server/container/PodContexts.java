package io.berth.server.container;

import io.berth.bridge.PodContext;
import io.berth.bridge.spec.NamespaceRef;
import io.berth.bridge.spec.PodNamespaces;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.NamespaceOption;
import io.berth.sandbox.ns.NamespaceKind;
import io.berth.sandbox.store.Sandbox;
import io.berth.sandbox.store.SandboxMetadata;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.function.Function;

/**
 * Translates a sandbox (pinned namespaces, pod files, shm) into what the runtime engine needs to
 * place a container in it. The PID namespace follows the container's own option as kubelet sets
 * it: POD joins the pod's init, TARGET another container's, NODE the host's, CONTAINER a new one.
 */
final class PodContexts {
  private PodContexts() {}

  /**
   * @param targetPid the init pid of a running container of this pod, by id (for PID mode TARGET)
   */
  static PodContext of(Sandbox sandbox, ContainerConfig config, Function<String, LongSupplier> targetPid) {
    SandboxMetadata m = sandbox.metadata();
    NamespaceRef net = m.hostNetwork() ? NamespaceRef.host() : join(sandbox, NamespaceKind.NET);
    NamespaceRef ipc = m.hostIpc() ? NamespaceRef.host() : join(sandbox, NamespaceKind.IPC);
    NamespaceRef uts = m.hostNetwork() ? NamespaceRef.host() : join(sandbox, NamespaceKind.UTS);
    NamespaceRef pid = pidNamespace(sandbox, config, targetPid);
    Path files = Path.of(m.filesDir());
    Path shm = m.hostIpc() || m.shmDir() == null ? null : Path.of(m.shmDir());
    String cgroupParent = m.config().getLinux().getCgroupParent();
    return new PodContext(new PodNamespaces(net, ipc, uts, pid), m.hostname(), files.resolve("hostname"),
        files.resolve("hosts"), files.resolve("resolv.conf"), shm, cgroupParent.isEmpty() ? null : cgroupParent, null);
  }

  private static NamespaceRef join(Sandbox sandbox, NamespaceKind kind) {
    String pin = sandbox.status().pins().get(kind);
    if (pin == null) {
      throw Status.FAILED_PRECONDITION.withDescription("pod sandbox " + sandbox.id() + " has no "
          + kind.fileName() + " namespace (stopped?)").asRuntimeException();
    }
    return NamespaceRef.join(pin);
  }

  private static NamespaceRef pidNamespace(Sandbox sandbox, ContainerConfig config,
      Function<String, LongSupplier> targetPid) {
    NamespaceOption own = config.getLinux().getSecurityContext().getNamespaceOptions();
    NamespaceOption pod = sandbox.metadata().namespaceOptions();
    NamespaceMode mode = config.getLinux().getSecurityContext().hasNamespaceOptions() ? own.getPid() : pod.getPid();
    switch (mode) {
      case NODE:
        return NamespaceRef.host();
      case CONTAINER:
        return NamespaceRef.fresh();
      case TARGET:
        long pid = targetPid.apply(own.getTargetId()).getAsLong();
        return NamespaceRef.join("/proc/" + pid + "/ns/pid");
      case POD:
      default:
        long infra = sandbox.status().infraPid();
        if (infra <= 0 && pod.getPid() != NamespaceMode.POD) {
          // The pod has no shared PID namespace to join (it asked for CONTAINER); the container's
          // POD is then proto's default value rather than a request: give it its own.
          return NamespaceRef.fresh();
        }
        if (infra <= 0) {
          throw Status.FAILED_PRECONDITION.withDescription("container asks for the pod's PID namespace "
              + "(linux.security_context.namespace_options.pid = POD) but pod sandbox " + sandbox.id()
              + " was created without one").asRuntimeException();
        }
        return NamespaceRef.join("/proc/" + infra + "/ns/pid");
    }
  }
}
