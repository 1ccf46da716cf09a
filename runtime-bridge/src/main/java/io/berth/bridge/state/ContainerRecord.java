package io.berth.bridge.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.bridge.proc.ProcessIdentity;
import java.nio.file.Path;

/**
 * What berth persists about one container (one JSON file, replaced atomically), enough to find it
 * again after the daemon restarts: where its bundle and log are, which runtime handler runs it,
 * its monitor and init process each as pid AND start time (so a reused pid is never mistaken for
 * them), its lifecycle times (Unix nanoseconds, as the CRI reports them) and how it exited.
 *
 * @param exitCode null until the container has exited
 * @param exitReason "Completed", "Error", "OOMKilled", or why the exit code is unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    int version,
    String id,
    String name,
    String sandboxId,
    String imageName,
    String handler,
    String bundle,
    String logPath,
    int stopSignal,
    ContainerState state,
    Integer pid,
    Long pidStartTime,
    Integer monitorPid,
    Long monitorStartTime,
    long createdAt,
    long startedAt,
    long finishedAt,
    Integer exitCode,
    String exitReason) {

  public static final int VERSION = 1;

  public static ContainerRecord creating(String id, String name, String sandboxId, String imageName, String handler,
      Path bundle, Path logPath, int stopSignal, long createdAt) {
    return new ContainerRecord(VERSION, id, name, sandboxId, imageName, handler, bundle.toString(), logPath.toString(),
        stopSignal, ContainerState.CREATING, null, null, null, null, createdAt, 0, 0, null, null);
  }

  @JsonIgnore
  public ProcessIdentity init() {
    return pid == null || pidStartTime == null ? null : new ProcessIdentity(pid, pidStartTime);
  }

  @JsonIgnore
  public ProcessIdentity monitor() {
    return monitorPid == null || monitorStartTime == null ? null : new ProcessIdentity(monitorPid, monitorStartTime);
  }

  @JsonIgnore
  public Path bundlePath() {
    return Path.of(bundle);
  }

  /**
   * Whether the container's monitor was started (StartContainer does it, then the runtime's start):
   * a CREATED container that is not launched exists only as this record, its bundle and its rootfs.
   */
  @JsonIgnore
  public boolean launched() {
    return monitorPid != null;
  }

  /** The monitor has had the runtime create the container; its init waits for the runtime's start. */
  public ContainerRecord launched(ProcessIdentity monitor, ProcessIdentity init) {
    return new ContainerRecord(version, id, name, sandboxId, imageName, handler, bundle, logPath, stopSignal,
        ContainerState.CREATED, init.pid(), init.startTime(), monitor.pid(), monitor.startTime(), createdAt,
        startedAt, finishedAt, exitCode, exitReason);
  }

  public ContainerRecord started(long at) {
    return new ContainerRecord(version, id, name, sandboxId, imageName, handler, bundle, logPath, stopSignal,
        ContainerState.RUNNING, pid, pidStartTime, monitorPid, monitorStartTime, createdAt, at, finishedAt,
        exitCode, exitReason);
  }

  public ContainerRecord exited(int code, long at, String reason) {
    return new ContainerRecord(version, id, name, sandboxId, imageName, handler, bundle, logPath, stopSignal,
        ContainerState.EXITED, pid, pidStartTime, monitorPid, monitorStartTime, createdAt, startedAt, at, code,
        reason);
  }

  public ContainerRecord withState(ContainerState newState) {
    return new ContainerRecord(version, id, name, sandboxId, imageName, handler, bundle, logPath, stopSignal, newState, pid,
        pidStartTime, monitorPid, monitorStartTime, createdAt, startedAt, finishedAt, exitCode, exitReason);
  }
}
