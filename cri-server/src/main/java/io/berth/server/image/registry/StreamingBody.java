package io.berth.server.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an InputStream that never hangs: each read waits at most the stall timeout
 * for the next bytes, then cancels the exchange and throws {@link StallingBodyException}. An
 * interrupted reader cancels too. (The JDK's own ofInputStream blocks forever on a silent peer
 * and cannot be unblocked by close.) Flow control: at most {@link #PREFETCH} chunks are queued.
 */
final class StreamingBody implements HttpResponse.BodySubscriber<InputStream> {
  /**
   * Chunks requested ahead of the reader. A chunk is one socket read of up to
   * {@link RegistryTransport#BUFSIZE} (64 KiB); two keep the reader fed (the socket buffers
   * more). Every chunk held ahead is heap that may outlive a young collection and be promoted:
   * four cost twice the full collections of two, and eight 256 KiB chunks per download grew
   * berthd's RSS by ~20 MB during an 8-layer pull (docs/benchmarks.md section 2).
   */
  private static final int PREFETCH = 2;
  private static final Object END = new Object();

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Duration stall;
  private final URI uri;
  private final BodyStream stream = new BodyStream();
  private volatile Flow.Subscription subscription;

  StreamingBody(Duration stall, URI uri) {
    this.stall = stall;
    this.uri = uri;
  }

  static HttpResponse.BodyHandler<InputStream> handler(Duration stall, URI uri) {
    return info -> new StreamingBody(stall, uri);
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedFuture(stream);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (stream.closed) {
      s.cancel();
    } else {
      s.request(PREFETCH);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  private final class BodyStream extends InputStream {
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean eof;
    private volatile boolean closed;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (closed) {
        throw new IOException("response body of " + uri + " is closed");
      }
      while (current == null || !current.hasRemaining()) {
        if (buffers.hasNext()) {
          current = buffers.next();
          continue;
        }
        if (eof) {
          return -1;
        }
        Object next;
        try {
          next = queue.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          cancel();
          throw new InterruptedIOException("download of " + uri + " cancelled");
        }
        if (next == null) {
          cancel();
          throw new StallingBodyException("no data from " + uri + " for " + human(stall) + " (stall timeout); download cancelled");
        }
        if (next == END) {
          eof = true;
          return -1;
        }
        if (next instanceof Throwable t) {
          eof = true;
          throw t instanceof IOException io ? new IOException("reading " + uri + ": " + io.getMessage(), io)
              : new IOException("reading " + uri + ": " + t, t);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> chunk = (List<ByteBuffer>) next;
        buffers = chunk.iterator();
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      }
      int n = Math.min(len, current.remaining());
      current.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      return current == null ? 0 : current.remaining();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (!eof) {
          cancel();
        }
      }
    }
  }

  private void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  static String human(Duration d) {
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
