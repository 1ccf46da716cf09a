package io.berth.server.runtime;

/** One of the checks behind Status' RuntimeReady and NetworkReady conditions. */
@FunctionalInterface
public interface ReadinessProbe {
  Condition check();
}
