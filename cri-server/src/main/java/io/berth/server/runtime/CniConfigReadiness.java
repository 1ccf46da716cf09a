package io.berth.server.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * NetworkReady as kubelet needs it before it schedules non-hostNetwork pods: a CNI network
 * configuration exists. Like containerd, no config means NetworkReady=false with the reason
 * NetworkPluginNotReady; hostNetwork pods still run.
 */
public final class CniConfigReadiness implements ReadinessProbe {
  private final Path confDir;

  public CniConfigReadiness(Path confDir) {
    this.confDir = confDir;
  }

  @Override
  public Condition check() {
    if (!Files.isDirectory(confDir)) {
      return Condition.notReady("NetworkPluginNotReady", "cni config dir " + confDir + " does not exist");
    }
    try (Stream<Path> files = Files.list(confDir)) {
      boolean any = files.map(p -> p.getFileName().toString())
          .anyMatch(n -> n.endsWith(".conflist") || n.endsWith(".conf") || n.endsWith(".json"));
      return any ? Condition.ok()
          : Condition.notReady("NetworkPluginNotReady", "no network config found in " + confDir);
    } catch (IOException e) {
      return Condition.notReady("NetworkPluginNotReady", "cannot read " + confDir + ": " + e.getMessage());
    }
  }
}
