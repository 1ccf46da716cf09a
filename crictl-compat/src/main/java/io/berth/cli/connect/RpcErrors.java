package io.berth.cli.connect;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/** Renders gRPC failures as Go's grpc does ("rpc error: code = NotFound desc = ..."), which crictl prints. */
public final class RpcErrors {
    private RpcErrors() {
    }

    /** Go's codes.Code.String(). */
    public static String goCodeName(Status.Code code) {
        return switch (code) {
            case OK -> "OK";
            case CANCELLED -> "Canceled";
            case UNKNOWN -> "Unknown";
            case INVALID_ARGUMENT -> "InvalidArgument";
            case DEADLINE_EXCEEDED -> "DeadlineExceeded";
            case NOT_FOUND -> "NotFound";
            case ALREADY_EXISTS -> "AlreadyExists";
            case PERMISSION_DENIED -> "PermissionDenied";
            case RESOURCE_EXHAUSTED -> "ResourceExhausted";
            case FAILED_PRECONDITION -> "FailedPrecondition";
            case ABORTED -> "Aborted";
            case OUT_OF_RANGE -> "OutOfRange";
            case UNIMPLEMENTED -> "Unimplemented";
            case INTERNAL -> "Internal";
            case UNAVAILABLE -> "Unavailable";
            case DATA_LOSS -> "DataLoss";
            case UNAUTHENTICATED -> "Unauthenticated";
        };
    }

    public static String describe(StatusRuntimeException e, Endpoint endpoint) {
        Status s = e.getStatus();
        return "rpc error: code = " + goCodeName(s.getCode()) + " desc = " + description(s, endpoint);
    }

    private static String description(Status s, Endpoint endpoint) {
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return "context deadline exceeded";
        }
        if (s.getCode() == Status.Code.UNAVAILABLE && s.getCause() != null && endpoint != null) {
            String cause = rootMessage(s.getCause());
            String target = endpoint.kind() == Endpoint.Kind.UNIX
                    ? "unix " + endpoint.path() : "tcp " + endpoint.host() + ":" + endpoint.port();
            return "connection error: desc = \"transport: Error while dialing: dial " + target + ": connect: "
                    + errnoText(cause) + "\"";
        }
        String d = s.getDescription();
        return d == null ? "" : d;
    }

    /** The errno text of the connect failure somewhere in the cause chain. */
    private static String rootMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.FileNotFoundException) {
                return "no such file or directory";
            }
            if (c.getMessage() != null && c.getMessage().contains("failed: ")) {
                return c.getMessage();
            }
            if (c.getCause() == null) {
                return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            }
        }
        return "unknown error";
    }

    /** Netty says "connect(..) failed: No such file or directory"; Go says "no such file or directory". */
    private static String errnoText(String message) {
        int i = message.lastIndexOf("failed: ");
        String text = i >= 0 ? message.substring(i + "failed: ".length()) : message;
        return text.toLowerCase(Locale.ROOT);
    }
}
