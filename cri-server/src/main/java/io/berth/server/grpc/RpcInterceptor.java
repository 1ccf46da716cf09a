package io.berth.server.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.berth.server.log.StructuredLogger;
import io.berth.server.metrics.RpcMetrics;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * The one instrumentation layer every RPC passes through: a latency/outcome metric and one log
 * line with the RPC name, the pod/container/image it concerns, its duration and status code.
 * Reads (List*, *Status, Version, stats) log at debug because kubelet polls them every second.
 */
public final class RpcInterceptor implements ServerInterceptor {
  private static final StructuredLogger LOG = StructuredLogger.get(RpcInterceptor.class);
  private static final Set<String> QUIET_PREFIXES = Set.of("List", "Version", "Status", "ImageFsInfo",
      "ContainerStats", "PodSandboxStats", "RuntimeConfig", "ImageStatus", "PodSandboxStatus",
      "ContainerStatus", "ExecSync");

  private final RpcMetrics metrics;

  public RpcInterceptor(RpcMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String service = call.getMethodDescriptor().getServiceName();
    String rpc = call.getMethodDescriptor().getBareMethodName();
    RpcSubject subject = new RpcSubject();
    ServerCall<Q, R> observed = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        subject.take(message);
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        long nanos = System.nanoTime() - start;
        // Counted before the reply (a scrape right after an RPC sees it); logged after it, so the
        // line's formatting and write are not part of the client's wait.
        metrics.record(service, rpc, status.getCode().name(), nanos);
        super.close(status, trailers);
        logOutcome(rpc, status, nanos, subject);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(observed, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        subject.take(message);
        super.onMessage(message);
      }
    };
  }

  private static void logOutcome(String rpc, Status status, long nanos, RpcSubject s) {
    Object[] kv = {"rpc", rpc, "code", status.getCode().name(), "dur_ms", String.format("%.2f", nanos / 1e6),
        "pod", s.pod, "container", s.container, "image", s.image,
        "error", status.isOk() ? null : status.getDescription()};
    if (!status.isOk() && status.getCode() != Status.Code.NOT_FOUND) {
      LOG.warn("rpc", kv);
    } else if (isQuiet(rpc)) {
      LOG.debug("rpc", kv);
    } else {
      LOG.info("rpc", kv);
    }
  }

  private static boolean isQuiet(String rpc) {
    for (String p : QUIET_PREFIXES) {
      if (rpc.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** The ids an RPC is about, picked from request and response fields by their CRI names. */
  static final class RpcSubject {
    volatile String pod;
    volatile String container;
    volatile String image;

    void take(Object message) {
      if (!(message instanceof Message)) {
        return;
      }
      Message m = (Message) message;
      String p = stringField(m, "pod_sandbox_id");
      if (p != null) {
        pod = p;
      }
      String c = stringField(m, "container_id");
      if (c != null) {
        container = c;
      }
      FieldDescriptor imageField = m.getDescriptorForType().findFieldByName("image");
      if (imageField != null && imageField.getType() == FieldDescriptor.Type.MESSAGE && m.hasField(imageField)) {
        String i = stringField((Message) m.getField(imageField), "image");
        if (i != null) {
          image = i;
        }
      }
      String ref = stringField(m, "image_ref");
      if (ref != null && image == null) {
        image = ref;
      }
    }

    private static String stringField(Message m, String name) {
      FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
      if (f == null || f.getType() != FieldDescriptor.Type.STRING || f.isRepeated()) {
        return null;
      }
      String v = (String) m.getField(f);
      return v.isEmpty() ? null : v;
    }
  }
}
