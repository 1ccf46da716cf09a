package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.sandbox.Errors;
import io.berth.sandbox.store.SandboxJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Pod networking through CNI: the loopback plugin for {@code lo} (as containerd and CRI-O run it),
 * then the first network list of the conf dir on {@code eth0}. Every ADD is cached before and
 * after it runs so DEL can be retried with the same config and prevResult.
 */
public final class CniPodNetwork implements PodNetwork {
  public static final String POD_INTERFACE = "eth0";
  static final String LOOPBACK_TYPE = "loopback";
  /** 0.3.1: understood by every loopback plugin still in use, as containerd writes it. */
  private static final String LOOPBACK_CONFIG =
      "{\"cniVersion\": \"0.3.1\", \"name\": \"cni-loopback\", \"type\": \"" + LOOPBACK_TYPE + "\"}";

  private final CniConfigLoader loader;
  private final CniExecutor executor;
  private final CniResultCache cache;
  private final Executor loopbackRunner;
  private final NetworkConfigList loopback;

  /**
   * @param loopbackRunner runs the loopback ADD beside the network's ADD (they touch different
   *     interfaces), saving one plugin's run time per pod; {@code Runnable::run} runs it first,
   *     in the calling thread
   */
  public CniPodNetwork(CniConfigLoader loader, CniExecutor executor, CniResultCache cache,
      Executor loopbackRunner) {
    this.loader = loader;
    this.executor = executor;
    this.cache = cache;
    this.loopbackRunner = loopbackRunner;
    try {
      // Parsed by the loader's mapper-free reader: no JSON mapper is built for it at start-up.
      this.loopback = loader.parse("built-in loopback config", LOOPBACK_CONFIG.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public NetworkStatus status() {
    CniConfigLoader.Loaded loaded = loader.load();
    if (!loaded.found()) {
      return NetworkStatus.notReady("cni config uninitialized: " + loaded.problem());
    }
    Set<String> types = new LinkedHashSet<>();
    types.add(LOOPBACK_TYPE);
    types.addAll(CniExecutor.requiredTypes(loaded.network()));
    for (String type : types) {
      if (executor.find(type).isEmpty()) {
        return NetworkStatus.notReady("CNI plugin " + type + " (network " + loaded.network().name()
            + " in " + loaded.network().source() + ") not found in " + executor.binDirs());
      }
    }
    return NetworkStatus.ok();
  }

  @Override
  public Attachment setUp(PodNetworkRequest req) throws IOException {
    CniConfigLoader.Loaded loaded = loader.load();
    if (!loaded.found()) {
      throw Errors.failedPrecondition("pod network is not ready: " + loaded.problem());
    }
    NetworkConfigList network = loaded.network();
    String cniArgs = cniArgs(req);
    ObjectNode capabilityArgs = capabilityArgs(req.portMappings());
    CniCacheEntry pending = new CniCacheEntry(CniCacheEntry.KIND, req.sandboxId(), POD_INTERFACE,
        req.netnsPath(), network.name(), cniArgs, capabilityArgs, network.raw(), null);
    // Written before ADD: a crash during ADD leaves the means to free what ADD allocated.
    cache.write(req.sandboxId(), pending);
    try {
      CompletableFuture<Void> lo = CompletableFuture.runAsync(() -> {
        try {
          executor.add(loopback, new CniExecutor.Invocation(req.sandboxId(), req.netnsPath(), "lo", cniArgs), null);
        } catch (CniException e) {
          throw new CompletionException(e);
        }
      }, loopbackRunner);
      JsonNode result;
      try {
        result = executor.add(network,
            new CniExecutor.Invocation(req.sandboxId(), req.netnsPath(), POD_INTERFACE, cniArgs), capabilityArgs);
      } finally {
        awaitLoopback(lo);
      }
      CniResult parsed = CniResultParser.parse(result);
      cache.write(req.sandboxId(), pending.withResult(result));
      return new Attachment(CniResultParser.podIps(parsed, POD_INTERFACE), result);
    } catch (IOException | RuntimeException e) {
      try {
        tearDown(req.sandboxId(), req.netnsPath());
      } catch (IOException | RuntimeException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private static void awaitLoopback(CompletableFuture<Void> lo) throws CniException {
    try {
      lo.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CniException c) {
        throw c;
      }
      throw new CniException("loopback setup failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void check(String sandboxId, String netnsPath) throws IOException {
    Optional<CniCacheEntry> entry = cache.read(sandboxId);
    if (entry.isEmpty()) {
      throw new CniException("sandbox " + sandboxId + " has no network attachment to check", 0);
    }
    CniCacheEntry e = entry.get();
    executor.check(loader.fromCached(e.config()),
        new CniExecutor.Invocation(sandboxId, netnsPath, e.ifName(), e.cniArgs()), e.capabilityArgs(), e.result());
  }

  @Override
  public void tearDown(String sandboxId, String netnsPath) throws IOException {
    Optional<CniCacheEntry> entry = cache.read(sandboxId);
    if (entry.isEmpty()) {
      return;
    }
    CniCacheEntry e = entry.get();
    // The loopback plugin keeps no state outside the netns; it goes away with the namespace.
    executor.del(loader.fromCached(e.config()),
        new CniExecutor.Invocation(sandboxId, netnsPath, e.ifName(), e.cniArgs()), e.capabilityArgs(), e.result());
    cache.delete(sandboxId);
  }

  @Override
  public Optional<JsonNode> cachedResult(String sandboxId) throws IOException {
    return cache.read(sandboxId).map(CniCacheEntry::result);
  }

  /** Kubernetes' CNI_ARGS; IgnoreUnknown lets plugins that know none of them accept the rest. */
  static String cniArgs(PodNetworkRequest req) {
    return "IgnoreUnknown=1"
        + ";K8S_POD_NAMESPACE=" + req.podNamespace()
        + ";K8S_POD_NAME=" + req.podName()
        + ";K8S_POD_INFRA_CONTAINER_ID=" + req.sandboxId()
        + ";K8S_POD_UID=" + req.podUid();
  }

  ObjectNode capabilityArgs(List<PortMappingArg> mappings) {
    ObjectNode args = SandboxJson.mapper().createObjectNode();
    List<PortMappingArg> exposed = new ArrayList<>();
    for (PortMappingArg m : mappings) {
      if (m.hostPort() > 0) {
        exposed.add(m);
      }
    }
    if (!exposed.isEmpty()) {
      ArrayNode arr = args.putArray("portMappings");
      for (PortMappingArg m : exposed) {
        ObjectNode o = arr.addObject();
        o.put("hostPort", m.hostPort());
        o.put("containerPort", m.containerPort());
        o.put("protocol", m.protocol());
        if (m.hostIp() != null && !m.hostIp().isEmpty()) {
          o.put("hostIP", m.hostIp());
        }
      }
    }
    return args;
  }
}
