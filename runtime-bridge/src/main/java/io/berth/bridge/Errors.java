package io.berth.bridge;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The gRPC status errors this module throws. Messages name the CRI request field (as kubelet and
 * crictl users see it) so a caller can tell what to fix.
 */
public final class Errors {
  private Errors() {}

  public static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException alreadyExists(String message) {
    return Status.ALREADY_EXISTS.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  public static StatusRuntimeException deadlineExceeded(String message) {
    return Status.DEADLINE_EXCEEDED.withDescription(message).asRuntimeException();
  }

  /** A host operation failed (runtime, monitor, mount, file write); the cause is kept for logs. */
  public static StatusRuntimeException internal(String message, Throwable cause) {
    return Status.INTERNAL.withDescription(message).withCause(cause).asRuntimeException();
  }

  public static StatusRuntimeException internal(String message) {
    return Status.INTERNAL.withDescription(message).asRuntimeException();
  }
}
