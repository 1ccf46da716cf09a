package io.berth.server.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import io.berth.bridge.state.ContainerRecord;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerFilter;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStatus;
import io.berth.cri.v1.ImageSpec;
import io.berth.sandbox.SandboxFilter;

/** The CRI's views of a container: list item, status, verbose info; and ListContainers' filter. */
final class ContainerViews {
  private ContainerViews() {}

  static ContainerState state(ContainerRecord r) {
    switch (r.state()) {
      case CREATED: return ContainerState.CONTAINER_CREATED;
      case RUNNING: return ContainerState.CONTAINER_RUNNING;
      case EXITED: return ContainerState.CONTAINER_EXITED;
      default: return ContainerState.CONTAINER_UNKNOWN;
    }
  }

  static Container container(ContainerRecord r, ContainerMetadata m) {
    ContainerConfig c = m.config();
    return Container.newBuilder()
        .setId(r.id())
        .setPodSandboxId(m.sandboxId())
        .setMetadata(c.getMetadata())
        .setImage(ImageSpec.newBuilder().setImage(c.getImage().getImage()))
        // like containerd: the list carries the image id, the status the repo digest
        .setImageRef(m.imageId())
        .setImageId(m.imageId())
        .setState(state(r))
        .setCreatedAt(r.createdAt())
        .putAllLabels(c.getLabelsMap())
        .putAllAnnotations(c.getAnnotationsMap())
        .build();
  }

  static ContainerStatus status(ContainerRecord r, ContainerMetadata m) {
    ContainerConfig c = m.config();
    ContainerStatus.Builder b = ContainerStatus.newBuilder()
        .setId(r.id())
        .setMetadata(c.getMetadata())
        .setState(state(r))
        .setCreatedAt(r.createdAt())
        .setStartedAt(r.startedAt())
        .setFinishedAt(r.finishedAt())
        .setImage(ImageSpec.newBuilder().setImage(c.getImage().getImage()))
        .setImageRef(m.imageRef())
        .setImageId(m.imageId())
        .putAllLabels(c.getLabelsMap())
        .putAllAnnotations(c.getAnnotationsMap())
        .addAllMounts(c.getMountsList())
        .setLogPath(m.logPath());
    if (r.exitCode() != null) {
      b.setExitCode(r.exitCode());
    }
    if (r.exitReason() != null) {
      b.setReason(r.exitReason());
    }
    return b.build();
  }

  static boolean matches(Container c, ContainerFilter f) {
    if (!f.getId().isEmpty() && !c.getId().startsWith(f.getId())) {
      return false;
    }
    if (!f.getPodSandboxId().isEmpty() && !c.getPodSandboxId().startsWith(f.getPodSandboxId())) {
      return false;
    }
    if (f.hasState() && f.getState().getState() != c.getState()) {
      return false;
    }
    return SandboxFilter.labelsMatch(f.getLabelSelectorMap(), c.getLabelsMap());
  }

  /** containerd-style verbose info: the pid, the sandbox, the image and the OCI spec it runs. */
  static String verboseInfo(ContainerRecord r, ContainerMetadata m, Oci.Spec spec) {
    ObjectNode info = OciJson.MAPPER.createObjectNode();
    info.put("sandboxID", m.sandboxId());
    info.put("pid", r.pid() == null ? 0 : r.pid());
    info.put("runtimeHandler", r.handler());
    info.put("bundle", r.bundle());
    info.put("imageRef", m.imageRef());
    info.set("runtimeSpec", OciJson.MAPPER.valueToTree(spec));
    return info.toString();
  }
}
