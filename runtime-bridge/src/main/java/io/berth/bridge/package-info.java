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
 * pure), {@code rootfs} (overlayfs), {@code oci} (crun/runc CLI), {@code monitor} (conmon),
 * {@code state} (persisted records), {@code proc} (pid + start time identities).
 */
package io.berth.bridge;
