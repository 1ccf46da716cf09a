package io.berth.bridge.state;

/** A container's lifecycle state, as the CRI knows it (plus CREATING while its monitor starts). */
public enum ContainerState {
  /** Record written, monitor not yet confirmed; after a crash here the container is UNKNOWN. */
  CREATING,
  CREATED,
  RUNNING,
  EXITED,
  UNKNOWN
}
