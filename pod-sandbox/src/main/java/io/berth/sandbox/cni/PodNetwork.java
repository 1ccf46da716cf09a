package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** A pod's network as the sandbox lifecycle sees it: set up, check, tear down, readiness. */
public interface PodNetwork {
  /** The pod's addresses (first IPv4 first) and the raw result of the last plugin. */
  record Attachment(List<String> ips, JsonNode result) {
    public Attachment {
      ips = List.copyOf(ips);
    }
  }

  NetworkStatus status();

  /**
   * Brings up loopback and attaches the pod to the configured network. On failure nothing stays
   * allocated, or (if even the rollback failed) a cache entry remains so {@link #tearDown} frees it.
   */
  Attachment setUp(PodNetworkRequest request) throws IOException;

  /** CNI CHECK against the cached ADD result. */
  void check(String sandboxId, String netnsPath) throws IOException;

  /**
   * CNI DEL with the cached config and result; idempotent (no cache entry: nothing to do). On
   * failure the cache entry stays, so a retried stop tries again.
   *
   * @param netnsPath the pinned netns, or empty when it no longer exists (after a reboot)
   */
  void tearDown(String sandboxId, String netnsPath) throws IOException;

  /** The cached ADD result, for verbose status. */
  Optional<JsonNode> cachedResult(String sandboxId) throws IOException;
}
