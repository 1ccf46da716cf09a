package io.berth.bridge.spec;

import io.berth.bridge.Errors;
import io.berth.bridge.spec.oci.Oci;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.Device;
import io.berth.cri.v1.KeyValue;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.Mount;
import io.berth.cri.v1.NamespaceMode;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.SecurityProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a container's OCI runtime spec from its CRI {@code ContainerConfig}, the pod's
 * {@code PodSandboxConfig}, the image config and a {@link SpecContext}, merging them the way
 * containerd's CRI plugin does. The result depends only on its inputs and the {@link HostView}
 * (realpath, mount propagation, device nodes, Localhost seccomp files).
 *
 * <p>Failures the caller can fix are {@code INVALID_ARGUMENT} (or {@code FAILED_PRECONDITION} when
 * the host lacks a feature) naming the CRI field.
 */
public final class OciSpecBuilder {
  private static final String ANNOTATION_PREFIX = "io.kubernetes.cri.";

  private final HostView hostView;

  public OciSpecBuilder(HostView hostView) {
    this.hostView = hostView;
  }

  public Oci.Spec build(ContainerConfig config, PodSandboxConfig sandbox, ImageConfig image, SpecContext ctx) {
    LinuxContainerSecurityContext sc = config.getLinux().getSecurityContext();
    boolean privileged = sc.getPrivileged();
    if (privileged && !sandbox.getLinux().getSecurityContext().getPrivileged()) {
      throw Errors.invalidArgument("linux.security_context.privileged is set but the pod sandbox is not privileged");
    }
    if (sc.getNamespaceOptions().hasUsernsOptions()
        && sc.getNamespaceOptions().getUsernsOptions().getMode() == NamespaceMode.POD) {
      throw Errors.invalidArgument("linux.security_context.namespace_options.userns_options: user namespaces are not supported");
    }

    Oci.Capabilities caps = Capabilities.compute(sc.getCapabilities(), privileged, ctx.host().boundingCapabilities());
    Oci.Process process = new Oci.Process(
        config.getTty(),
        new Oci.User(ctx.user().uid(), ctx.user().gid(), ctx.user().additionalGids()),
        processArgs(config, image),
        environment(config, image, ctx.hostname()),
        workingDir(config, image),
        caps,
        sc.getNoNewPrivs(),
        ResourcesMapper.clampOomScoreAdj(config.getLinux().getResources().getOomScoreAdj(), ctx.host().oomScoreAdj()),
        appArmorProfile(sc, privileged, ctx.host()));

    MountPlan mounts = mounts(config, ctx, privileged, sc.getReadonlyRootfs());

    List<Oci.DeviceCgroup> deviceRules = new ArrayList<>();
    List<Oci.Device> devices = new ArrayList<>();
    if (privileged) {
      deviceRules.add(new Oci.DeviceCgroup(true, null, null, null, "rwm"));
      devices.addAll(hostDevices());
    } else {
      deviceRules.add(new Oci.DeviceCgroup(false, null, null, null, "rwm"));
    }
    addDevices(config, devices, deviceRules);

    Oci.Resources resources = ResourcesMapper.toOci(config.getLinux().getResources(), ctx.pidsLimit(), ctx.host(),
        deviceRules, "linux.resources");

    Set<String> bounding = new HashSet<>(caps.bounding());
    Oci.Linux linux = new Oci.Linux(
        namespaces(ctx, privileged),
        devices.isEmpty() ? null : devices,
        resources,
        cgroupsPath(ctx),
        sysctls(sandbox, ctx.namespaces()),
        privileged ? null : seccomp(sc, bounding, ctx.host()),
        mounts.rootfsPropagation(),
        privileged ? null : nonEmptyOr(sc.getMaskedPathsList(), SpecDefaults.MASKED_PATHS),
        privileged ? null : nonEmptyOr(sc.getReadonlyPathsList(), SpecDefaults.READONLY_PATHS));

    String hostname = ctx.namespaces().uts().mode() == NamespaceRef.Mode.NEW && !ctx.hostname().isEmpty()
        ? ctx.hostname() : null;
    return new Oci.Spec(Oci.OCI_VERSION, process,
        new Oci.Root(ctx.rootfs().toAbsolutePath().toString(), sc.getReadonlyRootfs()),
        hostname, mounts.mounts(), annotations(config, sandbox, ctx), linux);
  }

  // ---- process ------------------------------------------------------------------------------

  /**
   * Docker's rules, as containerd applies them: CRI {@code command} replaces the image Entrypoint
   * (and then the image Cmd is dropped); CRI {@code args} replace the image Cmd.
   */
  static List<String> processArgs(ContainerConfig config, ImageConfig image) {
    List<String> command = new ArrayList<>(config.getCommandList());
    List<String> args = new ArrayList<>(config.getArgsList());
    if (command.isEmpty()) {
      if (args.isEmpty()) {
        args.addAll(image.cmd());
      }
      if (!(image.entrypoint().size() == 1 && image.entrypoint().get(0).isEmpty())) {
        command.addAll(image.entrypoint());
      }
    }
    if (command.isEmpty() && args.isEmpty()) {
      throw Errors.invalidArgument("command: no command specified and the image has no Entrypoint or Cmd");
    }
    command.addAll(args);
    return command;
  }

  /**
   * The default PATH, then HOSTNAME, then the image's Env, then the CRI envs; a later value for a
   * key replaces the earlier one in place, a bare {@code KEY} (no '=') removes it.
   */
  static List<String> environment(ContainerConfig config, ImageConfig image, String hostname) {
    LinkedHashMap<String, String> env = new LinkedHashMap<>();
    apply(env, SpecDefaults.DEFAULT_PATH_ENV);
    if (!hostname.isEmpty()) {
      apply(env, "HOSTNAME=" + hostname);
    }
    image.env().forEach(e -> apply(env, e));
    for (KeyValue kv : config.getEnvsList()) {
      if (kv.getKey().isEmpty()) {
        throw Errors.invalidArgument("envs: an environment variable has an empty key");
      }
      apply(env, kv.getKey() + "=" + kv.getValue().toStringUtf8());
    }
    return new ArrayList<>(env.values());
  }

  private static void apply(Map<String, String> env, String entry) {
    int eq = entry.indexOf('=');
    if (eq < 0) {
      env.remove(entry);
    } else {
      env.put(entry.substring(0, eq), entry);
    }
  }

  static String workingDir(ContainerConfig config, ImageConfig image) {
    String dir = !config.getWorkingDir().isEmpty() ? config.getWorkingDir()
        : !image.workingDir().isEmpty() ? image.workingDir() : "/";
    if (!dir.startsWith("/")) {
      throw Errors.invalidArgument("working_dir \"" + dir + "\" is not an absolute path");
    }
    return dir;
  }

  // The deprecated apparmor_profile string is still sent by older kubelets.
  @SuppressWarnings("deprecation")
  private static String appArmorProfile(LinuxContainerSecurityContext sc, boolean privileged, HostFacts host) {
    String localhost = null;
    boolean requested = false;
    if (sc.hasApparmor()) {
      SecurityProfile p = sc.getApparmor();
      requested = p.getProfileType() == SecurityProfile.ProfileType.Localhost;
      localhost = p.getLocalhostRef();
    } else if (sc.getApparmorProfile().startsWith("localhost/")) {
      requested = true;
      localhost = sc.getApparmorProfile().substring("localhost/".length());
    }
    if (!requested || privileged) {
      // RuntimeDefault and Unconfined: berth loads no profile of its own.
      return null;
    }
    if (!host.appArmorEnabled()) {
      throw Errors.failedPrecondition("linux.security_context.apparmor: profile \"" + localhost
          + "\" is required but AppArmor is not enabled on this host");
    }
    if (localhost == null || localhost.isEmpty()) {
      throw Errors.invalidArgument("linux.security_context.apparmor.localhost_ref is empty");
    }
    return localhost;
  }

  // ---- mounts -------------------------------------------------------------------------------

  record MountPlan(List<Oci.Mount> mounts, String rootfsPropagation) {}

  private MountPlan mounts(ContainerConfig config, SpecContext ctx, boolean privileged, boolean readonlyRootfs) {
    List<Mount> supplied = new ArrayList<>(config.getMountsList());
    Set<String> criDestinations = new HashSet<>();
    for (Mount m : config.getMountsList()) {
      criDestinations.add(clean(m.getContainerPath(), "mounts.container_path"));
    }
    addPodFile(supplied, criDestinations, "/etc/hostname", ctx.etcHostname(), readonlyRootfs);
    addPodFile(supplied, criDestinations, "/etc/hosts", ctx.etcHosts(), readonlyRootfs);
    addPodFile(supplied, criDestinations, "/etc/resolv.conf", ctx.resolvConf(), readonlyRootfs);
    addPodFile(supplied, criDestinations, "/dev/shm", ctx.devShm(), false);
    // Shallow destinations first, so a mount never hides one below it.
    supplied.sort(Comparator.comparingInt(m -> depth(m.getContainerPath())));

    Set<String> destinations = new HashSet<>();
    for (Mount m : supplied) {
      destinations.add(clean(m.getContainerPath(), "mounts.container_path"));
    }
    List<Oci.Mount> out = new ArrayList<>();
    for (Oci.Mount m : SpecDefaults.mounts(privileged)) {
      if (destinations.contains(m.destination())
          || destinations.contains("/dev") && m.destination().startsWith("/dev/")) {
        continue;
      }
      out.add(m);
    }
    String rootfsPropagation = null;
    for (Mount m : supplied) {
      if ((m.hasImage() && !m.getImage().getImage().isEmpty()) || !m.getImageSubPath().isEmpty()) {
        throw Errors.invalidArgument("mounts.image: image volume mounts are not supported (" + m.getContainerPath() + ")");
      }
      if (m.getHostPath().isEmpty()) {
        throw Errors.invalidArgument("mounts.host_path is empty for container_path " + m.getContainerPath());
      }
      if (m.getUidMappingsCount() > 0 || m.getGidMappingsCount() > 0) {
        throw Errors.invalidArgument("mounts.uidMappings/gidMappings: id-mapped mounts are not supported ("
            + m.getContainerPath() + ")");
      }
      Path source = resolveHostPath(m.getHostPath());
      List<String> options = new ArrayList<>();
      options.add("rbind");
      switch (m.getPropagation()) {
        case PROPAGATION_BIDIRECTIONAL -> {
          requirePropagation(source, m, Propagation.SHARED);
          options.add("rshared");
          rootfsPropagation = "rshared";
        }
        case PROPAGATION_HOST_TO_CONTAINER -> {
          requirePropagation(source, m, Propagation.SLAVE);
          options.add("rslave");
          if (!"rshared".equals(rootfsPropagation)) {
            rootfsPropagation = "rslave";
          }
        }
        default -> options.add("rprivate");
      }
      if (m.getRecursiveReadOnly()) {
        throw Errors.invalidArgument("mounts.recursive_read_only is not supported by berth's runtimes ("
            + m.getContainerPath() + ")");
      }
      // selinux_relabel is ignored: SELinux is not enabled on the hosts berth supports.
      options.add(m.getReadonly() ? "ro" : "rw");
      out.add(new Oci.Mount(clean(m.getContainerPath(), "mounts.container_path"), "bind", source.toString(), options));
    }
    return new MountPlan(out, rootfsPropagation);
  }

  private static void addPodFile(List<Mount> mounts, Set<String> criDestinations, String destination, Path hostPath,
      boolean readonly) {
    if (hostPath == null || criDestinations.contains(destination)) {
      return;
    }
    mounts.add(Mount.newBuilder().setContainerPath(destination).setHostPath(hostPath.toString())
        .setReadonly(readonly).build());
  }

  private Path resolveHostPath(String hostPath) {
    try {
      return hostView.realPath(hostPath).orElseThrow(() ->
          Errors.invalidArgument("mounts.host_path \"" + hostPath + "\" does not exist"));
    } catch (IOException e) {
      throw Errors.invalidArgument("mounts.host_path \"" + hostPath + "\": " + e.getMessage());
    }
  }

  /** rshared needs a shared source mount; rslave a shared or slave one (as containerd checks). */
  private void requirePropagation(Path source, Mount m, Propagation needed) {
    Propagation actual;
    try {
      actual = hostView.propagationOf(source);
    } catch (IOException e) {
      throw Errors.internal("cannot read the mount propagation of " + source, e);
    }
    boolean ok = needed == Propagation.SHARED ? actual == Propagation.SHARED : actual != Propagation.PRIVATE;
    if (!ok) {
      throw Errors.invalidArgument("mounts.propagation " + m.getPropagation() + " for host_path \""
          + m.getHostPath() + "\" needs a " + (needed == Propagation.SHARED ? "shared" : "shared or slave")
          + " host mount, but " + source + " is on a " + actual.name().toLowerCase() + " mount");
    }
  }

  private static String clean(String path, String field) {
    if (!path.startsWith("/")) {
      throw Errors.invalidArgument(field + " \"" + path + "\" is not an absolute path");
    }
    return Path.of(path).normalize().toString();
  }

  private static int depth(String path) {
    String p = Path.of(path).normalize().toString();
    return (int) p.chars().filter(c -> c == '/').count();
  }

  // ---- devices ------------------------------------------------------------------------------

  private List<Oci.Device> hostDevices() {
    try {
      return hostView.allHostDevices();
    } catch (IOException e) {
      throw Errors.internal("cannot list the host's devices for a privileged container", e);
    }
  }

  private void addDevices(ContainerConfig config, List<Oci.Device> devices, List<Oci.DeviceCgroup> rules) {
    for (Device d : config.getDevicesList()) {
      String permissions = d.getPermissions().isEmpty() ? "rwm" : d.getPermissions();
      if (!permissions.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm')) {
        throw Errors.invalidArgument("devices.permissions \"" + d.getPermissions() + "\" may only contain r, w and m");
      }
      String containerPath = clean(d.getContainerPath(), "devices.container_path");
      List<Oci.Device> found;
      try {
        Path host = hostView.realPath(d.getHostPath()).orElseThrow(() ->
            Errors.invalidArgument("devices.host_path \"" + d.getHostPath() + "\" does not exist"));
        found = hostView.devices(host, containerPath);
      } catch (IOException e) {
        throw Errors.invalidArgument("devices.host_path \"" + d.getHostPath() + "\": " + e.getMessage());
      }
      for (Oci.Device dev : found) {
        devices.removeIf(existing -> existing.path().equals(dev.path()));
        devices.add(dev);
        rules.add(new Oci.DeviceCgroup(true, dev.type(), dev.major(), dev.minor(), permissions));
      }
    }
  }

  // ---- namespaces, cgroups, sysctls ---------------------------------------------------------

  private static List<Oci.Namespace> namespaces(SpecContext ctx, boolean privileged) {
    List<Oci.Namespace> out = new ArrayList<>();
    add(out, "pid", ctx.namespaces().pid());
    add(out, "network", ctx.namespaces().network());
    add(out, "ipc", ctx.namespaces().ipc());
    add(out, "uts", ctx.namespaces().uts());
    out.add(new Oci.Namespace("mount", null));
    // A cgroup namespace hides the host's cgroup tree; only on v2, as containerd does.
    if (ctx.host().cgroupV2() && !privileged) {
      out.add(new Oci.Namespace("cgroup", null));
    }
    return out;
  }

  private static void add(List<Oci.Namespace> out, String type, NamespaceRef ref) {
    switch (ref.mode()) {
      case HOST -> { }
      case NEW -> out.add(new Oci.Namespace(type, null));
      case JOIN -> out.add(new Oci.Namespace(type, ref.path()));
    }
  }

  static String cgroupsPath(SpecContext ctx) {
    String parent = ctx.cgroupParent();
    if (parent == null || parent.isEmpty()) {
      return null;
    }
    if (ctx.cgroupDriver() == CgroupDriver.SYSTEMD) {
      String slice = Path.of(parent).getFileName() == null ? parent : Path.of(parent).getFileName().toString();
      return slice + ":berth:" + ctx.containerId();
    }
    String p = parent.startsWith("/") ? parent : "/" + parent;
    return (p.endsWith("/") ? p : p + "/") + ctx.containerId();
  }

  /**
   * The pod's sysctls. Only namespaced ones are allowed, and only when the container has (or
   * joins) a namespace of its own for them: a net.* sysctl with host networking would change the host.
   */
  static Map<String, String> sysctls(PodSandboxConfig sandbox, PodNamespaces ns) {
    Map<String, String> requested = sandbox.getLinux().getSysctlsMap();
    if (requested.isEmpty()) {
      return null;
    }
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : requested.entrySet()) {
      String key = e.getKey().replace('/', '.');
      NamespaceRef owner;
      String kind;
      if (key.startsWith("net.")) {
        owner = ns.network();
        kind = "network";
      } else if (key.startsWith("kernel.shm") || key.startsWith("kernel.msg") || key.equals("kernel.sem")
          || key.startsWith("fs.mqueue.")) {
        owner = ns.ipc();
        kind = "IPC";
      } else if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
        owner = ns.uts();
        kind = "UTS";
      } else {
        throw Errors.invalidArgument("linux.sysctls: \"" + e.getKey() + "\" is not a namespaced sysctl");
      }
      if (owner.isHost()) {
        throw Errors.invalidArgument("linux.sysctls: \"" + e.getKey() + "\" needs a pod " + kind
            + " namespace, but the pod uses the host's");
      }
      out.put(key, e.getValue());
    }
    return out;
  }

  // ---- seccomp ------------------------------------------------------------------------------

  // The deprecated seccomp_profile_path string is still sent by older kubelets.
  @SuppressWarnings("deprecation")
  private Oci.Seccomp seccomp(LinuxContainerSecurityContext sc, Set<String> caps, HostFacts host) {
    String field = "linux.security_context.seccomp";
    SecurityProfile.ProfileType type;
    String localhost = "";
    if (sc.hasSeccomp()) {
      type = sc.getSeccomp().getProfileType();
      localhost = sc.getSeccomp().getLocalhostRef();
    } else {
      String path = sc.getSeccompProfilePath();
      field = "linux.security_context.seccomp_profile_path";
      if (path.isEmpty() || path.equals("unconfined")) {
        type = SecurityProfile.ProfileType.Unconfined;
      } else if (path.equals("runtime/default") || path.equals("docker/default")) {
        type = SecurityProfile.ProfileType.RuntimeDefault;
      } else if (path.startsWith("localhost/")) {
        type = SecurityProfile.ProfileType.Localhost;
        localhost = path.substring("localhost/".length());
      } else {
        throw Errors.invalidArgument(field + ": unknown profile \"" + path + "\"");
      }
    }
    return switch (type) {
      case RuntimeDefault -> SeccompProfiles.evaluate(SeccompProfiles.runtimeDefault(), caps, host.arch(), host.kernel());
      case Localhost -> {
        if (localhost.isEmpty() || !localhost.startsWith("/")) {
          throw Errors.invalidArgument(field + ": Localhost profile needs an absolute path, got \"" + localhost + "\"");
        }
        byte[] json;
        try {
          json = hostView.readFile(Path.of(localhost));
        } catch (IOException e) {
          throw Errors.invalidArgument(field + ": cannot read seccomp profile " + localhost + ": " + e.getMessage());
        }
        yield SeccompProfiles.evaluate(SeccompProfiles.parse(json, field), caps, host.arch(), host.kernel());
      }
      default -> null;
    };
  }

  // ---- annotations --------------------------------------------------------------------------

  private static Map<String, String> annotations(ContainerConfig config, PodSandboxConfig sandbox, SpecContext ctx) {
    Map<String, String> a = new TreeMap<>();
    a.put(ANNOTATION_PREFIX + "container-type", "container");
    a.put(ANNOTATION_PREFIX + "container-name", config.getMetadata().getName());
    a.put(ANNOTATION_PREFIX + "sandbox-id", ctx.sandboxId());
    a.put(ANNOTATION_PREFIX + "sandbox-name", sandbox.getMetadata().getName());
    a.put(ANNOTATION_PREFIX + "sandbox-namespace", sandbox.getMetadata().getNamespace());
    a.put(ANNOTATION_PREFIX + "sandbox-uid", sandbox.getMetadata().getUid());
    a.put(ANNOTATION_PREFIX + "image-name", ctx.imageName());
    return a;
  }

  private static List<String> nonEmptyOr(List<String> requested, List<String> defaults) {
    return requested.isEmpty() ? defaults : List.copyOf(requested);
  }
}
