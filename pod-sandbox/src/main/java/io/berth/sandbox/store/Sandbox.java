package io.berth.sandbox.store;

/** One pod sandbox: immutable metadata plus the current status. An immutable snapshot. */
public record Sandbox(SandboxMetadata metadata, SandboxStatus status) {
  public String id() {
    return metadata.id();
  }

  public Sandbox withStatus(SandboxStatus s) {
    return new Sandbox(metadata, s);
  }
}
