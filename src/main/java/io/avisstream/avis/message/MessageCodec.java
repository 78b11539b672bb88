package io.avisstream.avis.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * JSON encoding of one message type, validated on the way in against its schema under
 * {@code topology/schemas/} (shipped on the classpath). Thread-safe; build once per type.
 */
public final class MessageCodec<T> {
    public static final MessageCodec<FrameMessage> FRAMES = new MessageCodec<>(FrameMessage.class, "frame.schema.json");
    public static final MessageCodec<AudioChunkMessage> AUDIO = new MessageCodec<>(AudioChunkMessage.class,
            "audio.schema.json");
    public static final MessageCodec<MasksMessage> MASKS = new MessageCodec<>(MasksMessage.class, "masks.schema.json");
    public static final MessageCodec<EventMessage> EVENTS = new MessageCodec<>(EventMessage.class, "event.schema.json");

    private final Class<T> type;
    private final String schemaFile;
    private final JsonSchema schema;

    public MessageCodec(Class<T> type, String schemaFile) {
        this.type = type;
        this.schemaFile = schemaFile;
        this.schema = loadSchema(schemaFile);
    }

    public Class<T> type() {
        return type;
    }

    public String schemaFile() {
        return schemaFile;
    }

    public byte[] encode(T message) {
        try {
            return Json.MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /** Parses, validates against the schema, then builds the record (whose constructor checks invariants). */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidMessageException(DlqReason.UNDECODABLE, "null value (tombstone) is not a " + type.getSimpleName());
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidMessageException(DlqReason.UNDECODABLE, "not JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidMessageException(DlqReason.UNDECODABLE, "empty value");
        }
        Set<ValidationMessage> errors = schema.validate(tree);
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(ValidationMessage::getMessage).sorted().limit(5)
                    .collect(Collectors.joining("; "));
            throw new InvalidMessageException(DlqReason.SCHEMA_VIOLATION, schemaFile + ": " + detail);
        }
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new InvalidMessageException(DlqReason.SCHEMA_VIOLATION, firstLine(root.getMessage()), e);
        }
    }

    private static JsonSchema loadSchema(String file) {
        String resource = "topology/schemas/" + file;
        try (InputStream in = Thread.currentThread().getContextClassLoader() != null
                && Thread.currentThread().getContextClassLoader().getResource(resource) != null
                        ? Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)
                        : MessageCodec.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
