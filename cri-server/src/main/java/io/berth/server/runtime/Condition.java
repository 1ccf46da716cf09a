package io.berth.server.runtime;

import io.berth.cri.v1.RuntimeCondition;

/** A readiness verdict with the reason and message kubelet shows when it is false. */
public record Condition(boolean ready, String reason, String message) {
  public static Condition ok() {
    return new Condition(true, "", "");
  }

  public static Condition notReady(String reason, String message) {
    return new Condition(false, reason, message);
  }

  public static Condition of(RuntimeCondition c) {
    return new Condition(c.getStatus(), c.getReason(), c.getMessage());
  }

  public RuntimeCondition toCri(String type) {
    return RuntimeCondition.newBuilder().setType(type).setStatus(ready).setReason(reason).setMessage(message).build();
  }
}
