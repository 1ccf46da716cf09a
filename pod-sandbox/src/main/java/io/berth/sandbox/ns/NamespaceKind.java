package io.berth.sandbox.ns;

/** The namespaces a pod owns and pins. PID is held by an infra process instead (see PodInfraProcess). */
public enum NamespaceKind {
  NET("net"),
  IPC("ipc"),
  UTS("uts");

  private final String fileName;

  NamespaceKind(String fileName) {
    this.fileName = fileName;
  }

  /** The pin file's name, also the name under /proc/PID/ns. */
  public String fileName() {
    return fileName;
  }
}
