package io.berth.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.berth.cli.format.GoJson;
import io.berth.cli.format.GoYaml;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Proto messages as crictl prints them. crictl uses {@code protojson} with {@code EmitDefaultValues}:
 * lowerCamelCase JSON names (not the proto names), unset scalars and empty lists/maps printed, unset
 * messages omitted, int64 as strings, enums by name. JsonFormat with
 * {@code alwaysPrintFieldsWithNoPresence} produces the same document; {@link GoJson} then writes it
 * with protojson's escaping and spacing.
 */
public final class ProtoJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Printer WITH_DEFAULTS = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Printer GO_STRUCT = JsonFormat.printer().preservingProtoFieldNames();

    private ProtoJson() {
    }

    /** protojson's document of a message. */
    public static ObjectNode tree(MessageOrBuilder message) {
        return parse(print(WITH_DEFAULTS, message));
    }

    /**
     * encoding/json of the Go struct (snake_case names, empty fields omitted), which crictl uses for
     * {@code runtimeHandlers} in {@code info}.
     */
    public static ObjectNode goStructTree(MessageOrBuilder message) {
        return parse(print(GO_STRUCT, message));
    }

    /** {@code -o json} of a message. */
    public static String json(MessageOrBuilder message) {
        return GoJson.protojson(tree(message));
    }

    /** {@code -o yaml} of a message. */
    public static String yaml(MessageOrBuilder message) {
        return GoYaml.fromProtojson(tree(message));
    }

    /**
     * crictl's {@code marshalMapInOrder} for status messages: every top-level field of the Go struct,
     * in field order, with {@code null} for unset messages (protojson left them out).
     */
    public static ObjectNode withAllTopLevelFields(MessageOrBuilder message, ObjectNode protojson) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (Descriptors.FieldDescriptor f : message.getDescriptorForType().getFields()) {
            JsonNode v = protojson.get(f.getJsonName());
            result.set(f.getJsonName(), v == null ? JsonNodeFactory.instance.nullNode() : v);
        }
        return result;
    }

    private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
        }
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
