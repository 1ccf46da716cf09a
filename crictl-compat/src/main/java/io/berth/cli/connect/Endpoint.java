package io.berth.cli.connect;

/**
 * A CRI endpoint as crictl and kubelet spell it: {@code unix:///run/berth/berth.sock} or
 * {@code tcp://127.0.0.1:1234}. A bare path is read as a unix socket (crictl does the same, with a
 * deprecation warning).
 */
public record Endpoint(String original, Kind kind, String path, String host, int port) {
    public enum Kind { UNIX, TCP }

    public static Endpoint parse(String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) {
            throw new IllegalArgumentException("endpoint is not set");
        }
        if (endpoint.startsWith("unix://")) {
            String path = endpoint.substring("unix://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("endpoint " + endpoint + " has no socket path");
            }
            return new Endpoint(endpoint, Kind.UNIX, path, null, 0);
        }
        if (endpoint.startsWith("tcp://")) {
            String hostPort = endpoint.substring("tcp://".length());
            int slash = hostPort.indexOf('/');
            if (slash >= 0) {
                hostPort = hostPort.substring(0, slash);
            }
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("endpoint " + endpoint + " has no port");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("endpoint " + endpoint + " has an invalid port");
            }
            return new Endpoint(endpoint, Kind.TCP, null, host.isEmpty() ? "localhost" : host, port);
        }
        int scheme = endpoint.indexOf("://");
        if (scheme >= 0) {
            throw new IllegalArgumentException("protocol \"" + endpoint.substring(0, scheme) + "\" not supported");
        }
        return new Endpoint(endpoint, Kind.UNIX, endpoint, null, 0);
    }

    /** True for a bare path that was taken as a unix socket. */
    public boolean isLegacyPath() {
        return kind == Kind.UNIX && !original.startsWith("unix://");
    }
}
