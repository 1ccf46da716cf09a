package io.berth.server.container;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.berth.cri.v1.ContainerConfig;
import java.util.List;

/**
 * What the CRI reports about a container that the runtime engine does not keep: the request as
 * kubelet sent it (metadata, labels, annotations, mounts, image spec) and the image it resolved to.
 * Immutable once created; the engine's record holds the changing state.
 *
 * @param configJson the ContainerConfig in proto JSON, so that any field kubelet sends survives a
 *     restart verbatim
 * @param imageId the image's id (config digest), ContainerStatus.image_id
 * @param imageRef the repo digest (or id) the container runs, ContainerStatus.image_ref
 * @param chainIds the image's layer snapshots this container uses (kept from garbage collection)
 */
public record ContainerMetadata(int version, String id, String sandboxId, String configJson, String imageId,
    String imageRef, List<String> chainIds, String logPath, long createdAt) {
  static final int VERSION = 1;

  public ContainerMetadata {
    chainIds = List.copyOf(chainIds);
  }

  static ContainerMetadata of(String id, String sandboxId, ContainerConfig config, String imageId, String imageRef,
      List<String> chainIds, String logPath, long createdAt) {
    try {
      String json = JsonFormat.printer().omittingInsignificantWhitespace().print(config);
      return new ContainerMetadata(VERSION, id, sandboxId, json, imageId, imageRef, chainIds, logPath, createdAt);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("ContainerConfig not printable", e);
    }
  }

  public ContainerConfig config() {
    try {
      ContainerConfig.Builder b = ContainerConfig.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(configJson, b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored ContainerConfig of " + id + " unreadable", e);
    }
  }
}
