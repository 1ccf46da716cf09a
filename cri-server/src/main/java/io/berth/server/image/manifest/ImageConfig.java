package io.berth.server.image.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an image says about how to run it (the {@code config} object of the OCI image config): what
 * the container side merges with the CRI ContainerConfig. Empty lists/strings where the image says
 * nothing.
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String stopSignal,
    Map<String, String> labels,
    List<String> exposedPorts,
    List<String> volumes) {

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    stopSignal = stopSignal == null ? "" : stopSignal;
    labels = Map.copyOf(labels);
    exposedPorts = List.copyOf(exposedPorts);
    volumes = List.copyOf(volumes);
  }

  public static ImageConfig empty() {
    return new ImageConfig(List.of(), List.of(), List.of(), "", "", "", Map.of(), List.of(), List.of());
  }

  /**
   * The numeric uid the image's User names, as CRI's Image.uid: only the part before ':' and only
   * when it is a number (containerd's rule). A user name is reported by {@link #userName()}.
   */
  public OptionalLong uid() {
    String u = userPart();
    if (u.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(u));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The user name the image's User names, when it is not numeric. */
  public Optional<String> userName() {
    String u = userPart();
    return u.isEmpty() || uid().isPresent() ? Optional.empty() : Optional.of(u);
  }

  private String userPart() {
    int colon = user.indexOf(':');
    return colon < 0 ? user : user.substring(0, colon);
  }
}
