package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What libcni keeps in {@code /var/lib/cni/results}: enough to run DEL exactly as ADD ran, after a
 * crash or after the conf dir changed. Written before ADD with {@code result == null} (so a crash
 * during ADD still leads to a DEL that frees the IP), rewritten with the result when ADD succeeds.
 */
public record CniCacheEntry(
    String kind,
    String containerId,
    String ifName,
    String netns,
    String networkName,
    String cniArgs,
    ObjectNode capabilityArgs,
    ObjectNode config,
    JsonNode result) {
  public static final String KIND = "berthCniCacheV1";

  public CniCacheEntry withResult(JsonNode r) {
    return new CniCacheEntry(kind, containerId, ifName, netns, networkName, cniArgs, capabilityArgs, config, r);
  }
}
