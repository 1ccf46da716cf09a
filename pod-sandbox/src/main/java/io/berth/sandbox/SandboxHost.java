package io.berth.sandbox;

import io.berth.os.CommandRunner;
import io.berth.os.Linux;
import io.berth.os.MountTable;
import io.berth.sandbox.cni.CniConfigLoader;
import io.berth.sandbox.cni.CniExecutor;
import io.berth.sandbox.cni.CniPodNetwork;
import io.berth.sandbox.cni.CniResultCache;
import io.berth.sandbox.cni.PodNetwork;
import io.berth.sandbox.files.PodFiles;
import io.berth.sandbox.files.ShmMounter;
import io.berth.sandbox.files.TmpfsShmMounter;
import io.berth.sandbox.ns.NamespacePinner;
import io.berth.sandbox.ns.UnshareNamespacePinner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The host operations the sandbox lifecycle drives. {@link #linux} builds the real ones (util-linux
 * namespace pins, CNI plugins, tmpfs mounts); unit tests pass fakes.
 *
 * @param onClose releases what the real implementations hold (the command runner's threads)
 */
public record SandboxHost(NamespacePinner pinner, PodNetwork network, ShmMounter shm, PodFiles files,
    Runnable onClose) {

  /**
   * The real host. Needs root (mounts, namespaces); makes the pin root a private mount.
   *
   * @throws IOException naming what is missing (root, unshare, nsenter)
   */
  public static SandboxHost linux(SandboxManagerConfig config) throws IOException {
    Linux linux = Linux.load();
    if (!linux.isRoot()) {
      throw new IOException("pod sandboxes need root (namespaces, mounts, CNI plugins); run berthd as root");
    }
    String unshare = findTool(config.unsharePath());
    String nsenter = findTool(config.nsenterPath());
    MountTable mounts = new MountTable();
    CommandRunner runner = new CommandRunner();
    ExecutorService loopbackPool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cni-loopback");
      t.setDaemon(true);
      return t;
    });
    try {
      UnshareNamespacePinner pinner = new UnshareNamespacePinner(config.pinRoot(), linux, mounts, runner,
          unshare, nsenter);
      pinner.ensurePinRoot();
      PodNetwork network = new CniPodNetwork(
          new CniConfigLoader(config.cniConfDir()),
          new CniExecutor(config.cniBinDirs(), runner, config.cniPluginTimeout()),
          new CniResultCache(config.cniCacheDir()), loopbackPool);
      return new SandboxHost(pinner, network, new TmpfsShmMounter(linux, mounts),
          new PodFiles(config.hostResolvConf(), config.hostHosts()), () -> {
            pinner.releasePinRootIfUnused();
            loopbackPool.shutdown();
            runner.close();
          });
    } catch (IOException | RuntimeException e) {
      loopbackPool.shutdown();
      runner.close();
      throw e;
    }
  }

  private static String findTool(String nameOrPath) throws IOException {
    if (nameOrPath.contains("/")) {
      if (Files.isExecutable(Path.of(nameOrPath))) {
        return nameOrPath;
      }
    } else {
      String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin:/usr/sbin:/sbin";
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, nameOrPath))) {
          return Path.of(dir, nameOrPath).toString();
        }
      }
    }
    throw new IOException(nameOrPath + " not found; pod sandboxes need util-linux (apt-get install util-linux)");
  }
}
