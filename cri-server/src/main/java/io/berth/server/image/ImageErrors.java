package io.berth.server.image;

import io.berth.server.image.content.BlobVerificationException;
import io.berth.server.image.manifest.ManifestException;
import io.berth.server.image.reference.InvalidReferenceException;
import io.berth.server.image.registry.RegistryException;
import io.berth.server.image.registry.StallingBodyException;
import io.berth.server.image.unpack.LayerFormatException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Turns what went wrong in the image half into a gRPC status with a message that names the image:
 * bad reference INVALID_ARGUMENT; image or repository unknown NOT_FOUND; registry refused the
 * credentials PERMISSION_DENIED; registry unreachable or stalled UNAVAILABLE; blob or layer that
 * does not match its digest DATA_LOSS; an image berth will not use (schema 1, no linux/amd64,
 * hostile or oversized layer) FAILED_PRECONDITION.
 */
final class ImageErrors {
  private ImageErrors() {}

  static StatusRuntimeException invalidReference(InvalidReferenceException e) {
    return Status.INVALID_ARGUMENT.withDescription("image: " + e.getMessage()).asRuntimeException();
  }

  static StatusRuntimeException notFound(String image) {
    return Status.NOT_FOUND.withDescription("image: \"" + image + "\" not found").asRuntimeException();
  }

  static StatusRuntimeException pullFailed(String image, Throwable e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof InvalidReferenceException ire) {
      return invalidReference(ire);
    }
    String what = "image: pull " + image + ": ";
    Status status;
    if (e instanceof StallingBodyException) {
      status = Status.UNAVAILABLE;
    } else if (e instanceof RegistryException r) {
      status = switch (r.kind()) {
        case NOT_FOUND -> Status.NOT_FOUND;
        case UNAUTHORIZED -> Status.PERMISSION_DENIED;
        case UNAVAILABLE, STALLED -> Status.UNAVAILABLE;
        case PROTOCOL -> Status.UNKNOWN;
      };
    } else if (e instanceof ManifestException) {
      status = Status.FAILED_PRECONDITION;
    } else if (e instanceof BlobVerificationException || e instanceof LayerDigestMismatchException) {
      status = Status.DATA_LOSS;
    } else if (e instanceof LayerFormatException) {
      status = Status.FAILED_PRECONDITION;
    } else if (e instanceof java.io.InterruptedIOException || e instanceof InterruptedException) {
      status = Status.CANCELLED;
    } else {
      status = Status.INTERNAL;
    }
    return status.withDescription(what + e.getMessage()).withCause(e).asRuntimeException();
  }
}
