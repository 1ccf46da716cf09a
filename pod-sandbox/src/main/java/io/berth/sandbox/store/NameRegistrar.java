package io.berth.sandbox.store;

import io.berth.sandbox.Errors;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reserves sandbox names (built from the pod metadata) so that two RunPodSandbox calls for the
 * same pod attempt cannot both proceed, however they interleave.
 */
public final class NameRegistrar {
  private final Map<String, String> idByName = new HashMap<>();

  /** The reservation key: name, namespace, uid and attempt, as containerd builds it. */
  public static String sandboxName(String name, String namespace, String uid, int attempt) {
    return name + "_" + namespace + "_" + uid + "_" + attempt;
  }

  /**
   * @throws io.grpc.StatusRuntimeException ALREADY_EXISTS naming the sandbox that holds the name
   */
  public synchronized void reserve(String name, String id) {
    String holder = idByName.get(name);
    if (holder != null && !holder.equals(id)) {
      throw Errors.alreadyExists("pod sandbox with metadata " + name + " already exists: id " + holder);
    }
    idByName.put(name, id);
  }

  /** Releases the name if {@code id} holds it. */
  public synchronized void release(String name, String id) {
    idByName.remove(name, id);
  }

  public synchronized Optional<String> holder(String name) {
    return Optional.ofNullable(idByName.get(name));
  }
}
