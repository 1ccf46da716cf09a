package io.berth.bridge.spec;

import java.util.List;

/**
 * The parts of an OCI image config ({@code config} in the image config JSON) that shape a
 * container: Entrypoint, Cmd, Env, WorkingDir, User and StopSignal. Absent values are empty lists
 * or empty strings, never null.
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String stopSignal) {

  public ImageConfig {
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    stopSignal = stopSignal == null ? "" : stopSignal;
  }

  public static ImageConfig empty() {
    return new ImageConfig(List.of(), List.of(), List.of(), "", "", "");
  }
}
