package io.berth.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.PodSandboxConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads the pod and container config files of {@code runp}, {@code create}, {@code run} and
 * {@code pull --pod-config}, in JSON or YAML, as crictl does (a document starting with '{' is JSON,
 * anything else YAML). Field names are the proto names ({@code linux.security_context.namespace_options}),
 * the lowerCamel JSON names are accepted too, and unknown fields are ignored like Go's encoding/json.
 */
public final class CriConfigFiles {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private CriConfigFiles() {
    }

    public static PodSandboxConfig loadPodSandboxConfig(Path path) throws ConfigFileException {
        PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder();
        merge(path, b);
        if (!b.hasMetadata()) {
            throw new ConfigFileException("metadata is not set");
        }
        var m = b.getMetadata();
        if (m.getName().isEmpty() || m.getNamespace().isEmpty() || m.getUid().isEmpty()) {
            throw new ConfigFileException("name, namespace or uid is not in metadata \"" + shortText(m) + "\"");
        }
        return b.build();
    }

    public static ContainerConfig loadContainerConfig(Path path) throws ConfigFileException {
        ContainerConfig.Builder b = ContainerConfig.newBuilder();
        merge(path, b);
        if (!b.hasMetadata()) {
            throw new ConfigFileException("metadata is not set");
        }
        if (b.getMetadata().getName().isEmpty()) {
            throw new ConfigFileException("name is not in metadata \"" + shortText(b.getMetadata()) + "\"");
        }
        return b.build();
    }

    /** Parses JSON or YAML text into {@code builder}. */
    public static void mergeText(String text, Message.Builder builder) throws ConfigFileException {
        String json;
        if (text.stripLeading().startsWith("{")) {
            json = text;
        } else {
            try {
                JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(text);
                json = tree == null ? "{}" : new ObjectMapper().writeValueAsString(tree);
            } catch (IOException e) {
                throw new ConfigFileException(firstLine(e.getMessage()));
            }
        }
        try {
            PARSER.merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigFileException(firstLine(e.getMessage()));
        }
    }

    private static void merge(Path path, Message.Builder builder) throws ConfigFileException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException("config at " + path + " not found");
        } catch (IOException e) {
            throw new ConfigFileException("open " + path + ": " + e.getMessage());
        }
        mergeText(text, builder);
    }

    private static String shortText(Message m) {
        return com.google.protobuf.TextFormat.shortDebugString(m);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid config";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A config file that cannot be read or is not a valid config. */
    public static final class ConfigFileException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigFileException(String message) {
            super(message);
        }
    }
}
