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
    if (r.state() == io.berth.bridge.state.ContainerState.EXITED) {
      terminationMessage(c).ifPresent(b::setMessage);
    }
    return b.build();
  }

  /** kubelet names the termination message file in this annotation and mounts a host file there. */
  static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
  /** kubelet's own cap on a termination message. */
  static final int TERMINATION_MESSAGE_MAX = 4096;

  static java.util.Optional<String> terminationMessage(ContainerConfig c) {
    String inContainer = c.getAnnotationsMap().get(TERMINATION_MESSAGE_PATH);
    if (inContainer == null) {
      return java.util.Optional.empty();
    }
    for (io.berth.cri.v1.Mount m : c.getMountsList()) {
      if (m.getContainerPath().equals(inContainer)) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(m.getHostPath()))) {
          String text = new String(in.readNBytes(TERMINATION_MESSAGE_MAX), java.nio.charset.StandardCharsets.UTF_8);
          return text.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(text);
        } catch (java.io.IOException | RuntimeException e) {
          return java.util.Optional.empty();
        }
      }
    }
    return java.util.Optional.empty();
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
    ObjectNode info = OciJson.mapper().createObjectNode();
    info.put("sandboxID", m.sandboxId());
    info.put("pid", r.pid() == null ? 0 : r.pid());
    info.put("runtimeHandler", r.handler());
    info.put("bundle", r.bundle());
    info.put("imageRef", m.imageRef());
    info.set("runtimeSpec", OciJson.mapper().valueToTree(spec));
    return info.toString();
  }
}
