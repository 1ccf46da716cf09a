package io.berth.bridge.spec.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The subset of the OCI runtime spec (config.json) that berth writes, as Jackson-serialisable
 * records. Field names are the JSON names. Absent (null) fields are left out of the JSON, because
 * the runtimes treat "absent" and "zero" differently (a pids limit of 0 or -1 is not "unlimited" for
 * crun 1.8.1 on cgroup v1).
 */
public final class Oci {
  private Oci() {}

  /**
   * crun 1.8.1 refuses spec versions newer than 1.0.x/1.1.x ("unknown version specified");
   * {@code 1.0.2-dev} is accepted by both it and runc 1.1.5.
   */
  public static final String OCI_VERSION = "1.0.2-dev";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"ociVersion", "process", "root", "hostname", "mounts", "annotations", "linux"})
  public record Spec(
      String ociVersion,
      Process process,
      Root root,
      String hostname,
      List<Mount> mounts,
      Map<String, String> annotations,
      Linux linux) {

    public Spec withLinux(Linux newLinux) {
      return new Spec(ociVersion, process, root, hostname, mounts, annotations, newLinux);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Process(
      Boolean terminal,
      User user,
      List<String> args,
      List<String> env,
      String cwd,
      Capabilities capabilities,
      Boolean noNewPrivileges,
      Integer oomScoreAdj,
      String apparmorProfile) {

    /** The process of an exec: the container's process with other args and no terminal. */
    public Process forExec(List<String> execArgs, boolean tty) {
      return new Process(tty, user, List.copyOf(execArgs), env, cwd, capabilities, noNewPrivileges,
          oomScoreAdj, apparmorProfile);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record User(long uid, long gid, List<Long> additionalGids) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Capabilities(
      List<String> bounding,
      List<String> effective,
      List<String> inheritable,
      List<String> permitted,
      List<String> ambient) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Root(String path, Boolean readonly) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"destination", "type", "source", "options"})
  public record Mount(String destination, String type, String source, List<String> options) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Linux(
      List<Namespace> namespaces,
      List<Device> devices,
      Resources resources,
      String cgroupsPath,
      Map<String, String> sysctl,
      Seccomp seccomp,
      String rootfsPropagation,
      List<String> maskedPaths,
      List<String> readonlyPaths) {

    public Linux withResources(Resources newResources) {
      return new Linux(namespaces, devices, newResources, cgroupsPath, sysctl, seccomp,
          rootfsPropagation, maskedPaths, readonlyPaths);
    }
  }

  /** {@code path} null means "create a new namespace of this type". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Namespace(String type, String path) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Device(String path, String type, long major, long minor, Integer fileMode, Long uid, Long gid) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resources(
      List<DeviceCgroup> devices,
      Memory memory,
      Cpu cpu,
      Pids pids,
      List<HugepageLimit> hugepageLimits,
      Map<String, String> unified) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DeviceCgroup(boolean allow, String type, Long major, Long minor, String access) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Memory(Long limit, Long swap) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pids(long limit) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record HugepageLimit(String pageSize, long limit) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Seccomp(
      String defaultAction,
      Integer defaultErrnoRet,
      List<String> architectures,
      List<String> flags,
      List<Syscall> syscalls) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Syscall(List<String> names, String action, Integer errnoRet, List<SyscallArg> args) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SyscallArg(int index, long value, Long valueTwo, String op) {}
}
