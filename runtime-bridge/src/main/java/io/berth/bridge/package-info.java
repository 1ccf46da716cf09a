/**
 * Containers for the CRI RuntimeService: {@link io.berth.bridge.ContainerEngine} is the entry
 * point the gRPC layer calls, one method per RPC.
 *
 * <pre>{@code
 * EngineConfig config = EngineConfig.standard(Path.of("/var/lib/berth"), Path.of("/run/berth/runtime"));
 * ContainerEngine engine = new ContainerEngine(config, HostFacts.probe(), new LinuxHostView(), Linux.load());
 *
 * ContainerRecord c = engine.create(new CreateRequest(id, sandboxId, runtimeHandler, containerConfig,
 *     sandboxConfig, imageConfig, imageRef, snapshotDirsTopFirst, logDirectory.resolve(logPath),
 *     new PodContext(namespaces, hostname, hostnameFile, hostsFile, resolvConf, shmDir, cgroupParent, null)));
 * engine.start(id);                                  // StartContainer
 * engine.stop(id, Duration.ofSeconds(timeout));      // StopContainer (unknown id: empty)
 * engine.status(id);  engine.list();                 // ContainerStatus / ListContainers
 * engine.criConfig(id); engine.spec(id);             // labels, annotations, mounts; verbose info
 * engine.execSync(id, cmd, Duration.ofSeconds(t));   // ExecSync (timedOut, exit code, capped output)
 * engine.updateResources(id, linuxResources);        // UpdateContainerResources
 * engine.reopenLog(id);                              // ReopenContainerLog
 * engine.remove(id);                                 // RemoveContainer (kills first; unknown id: no-op)
 * }</pre>
 *
 * <p>Sub-packages, each usable on its own: {@code spec} (CRI + image config to OCI config.json,
 * pure), {@code rootfs} (overlayfs), {@code oci} (crun/runc CLI), {@code monitor} (the
 * per-container monitor process), {@code state} (persisted records), {@code proc} (pid + start
 * time identities).
 *
 * <p>The monitor is berth-monitor by default: a small static C program in
 * {@code src/main/c/berth-monitor} (built into {@code target/native/berth-monitor} in the compile
 * phase, installed as {@code /usr/local/libexec/berth/berth-monitor}), one process per container,
 * which takes conmon's command line and sync-pipe protocol for what berth uses, so Debian's conmon
 * stays selectable ({@code runtime.monitor_path = "conmon"}). It exists for memory: an idle one is
 * about 0.09 MB of private memory plus its 0.8 MB text shared by all monitors, where conmon costs
 * about 4 MB resident (glib). Where it differs from conmon: CRI log lines are split into P entries
 * of 16 KiB (containerd's size; conmon: 8 KiB), and text without newline waits up to 100 ms for
 * more; no attach sockets, winsz fifo, exit commands, journald/passthrough logging or restore;
 * the runtime runs in a process group of its own for exec, so an exec timeout kills the exec'd
 * process and its children and still answers "command timed out". The design is in
 * {@code src/main/c/berth-monitor/README.md}.
 */
package io.berth.bridge;
