package io.berth.server.container;

import io.berth.cri.v1.ContainerConfig;
import java.util.List;
import java.util.Objects;

/**
 * What the CRI reports about a container that the runtime engine does not keep: the request as
 * kubelet sent it (metadata, labels, annotations, mounts, image spec) and the image it resolved to.
 * Immutable once created; the engine's record holds the changing state.
 *
 * @param config the ContainerConfig as kubelet sent it, unknown fields included (kept parsed:
 *     ListContainers and ContainerStatus read its labels and annotations on every call)
 * @param imageId the image's id (config digest), ContainerStatus.image_id
 * @param imageRef the repo digest (or id) the container runs, ContainerStatus.image_ref
 * @param chainIds the image's layer snapshots this container uses (kept from garbage collection)
 */
public record ContainerMetadata(String id, String sandboxId, ContainerConfig config, String imageId,
    String imageRef, List<String> chainIds, String logPath, long createdAt) {

  public ContainerMetadata {
    Objects.requireNonNull(config, "config");
    chainIds = List.copyOf(chainIds);
  }

  static ContainerMetadata of(String id, String sandboxId, ContainerConfig config, String imageId, String imageRef,
      List<String> chainIds, String logPath, long createdAt) {
    return new ContainerMetadata(id, sandboxId, config, imageId, imageRef, chainIds, logPath, createdAt);
  }
}
