package io.berth.bridge;

import io.berth.bridge.spec.ImageConfig;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.PodSandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything CreateContainer needs once the image is resolved and the pod is known.
 *
 * @param id the new container's id (the caller generates it)
 * @param handler the pod's runtime handler; empty for the default
 * @param imageName the image reference for status and annotations
 * @param lowerDirs the image's snapshot directories, top layer first
 * @param logPath absolute CRI log path ({@code log_directory/log_path}); null puts it in the
 *     container's own directory
 */
public record CreateRequest(String id, String sandboxId, String handler, ContainerConfig config,
    PodSandboxConfig sandboxConfig, ImageConfig image, String imageName, List<Path> lowerDirs, Path logPath,
    PodContext pod) {
  public CreateRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(sandboxConfig, "sandboxConfig");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(pod, "pod");
    sandboxId = sandboxId == null ? "" : sandboxId;
    handler = handler == null ? "" : handler;
    imageName = imageName == null ? "" : imageName;
    lowerDirs = List.copyOf(lowerDirs);
  }
}
