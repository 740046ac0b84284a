package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAPI document as a plain JSON tree, with local {@code $ref} resolution. The contract tools
 * read the spec this way (rather than through a parser's object model) so that what they check is
 * exactly what is written in the YAML, including OpenAPI 3.1 keywords such as type arrays.
 */
public final class SpecDocument {
    public static final Path SPEC = Path.of("openapi/v1.yaml");
    public static final Path PUBLISHED = Path.of("openapi/published/v1.yaml");
    public static final Path V2_SPEC = Path.of("openapi/v2.yaml");
    public static final Path V2_PUBLISHED = Path.of("openapi/published/v2.yaml");
    public static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    static final ObjectMapper YAML = new YAMLMapper();

    private final JsonNode root;

    public SpecDocument(JsonNode root) {
        this.root = root;
    }

    public static SpecDocument load(Path file) {
        try {
            return new SpecDocument(YAML.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static SpecDocument parse(String yaml) {
        try {
            return new SpecDocument(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    public String toYaml() {
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One operation: its path template, lower-case method and the operation object. */
    public record Operation(String path, String method, JsonNode node) {
        /** {@code "GET /v1/payments/{id}"}, the form the router reports. */
        public String key() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }

        public String operationId() {
            return node.path("operationId").asText(key());
        }
    }

    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : fields(root.path("paths"))) {
            for (Map.Entry<String, JsonNode> op : fields(path.getValue())) {
                if (METHODS.contains(op.getKey())) {
                    out.add(new Operation(path.getKey(), op.getKey(), op.getValue()));
                }
            }
        }
        return out;
    }

    /** Follows {@code $ref} (local, possibly chained) until a node without one. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current != null && current.has("$ref"); hops++) {
            if (hops > 32) {
                throw new IllegalStateException("$ref cycle at " + node.get("$ref").asText());
            }
            current = pointer(current.get("$ref").asText());
        }
        return current == null ? MissingNode.getInstance() : current;
    }

    /** The node a local reference such as {@code #/components/schemas/Payment} names. */
    public JsonNode pointer(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("only local $refs are supported: " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException("dangling $ref " + ref);
        }
        return target;
    }

    /** Parameters of an operation, path-level ones first, resolved. */
    public List<JsonNode> parameters(Operation op) {
        List<JsonNode> out = new ArrayList<>();
        root.path("paths").path(op.path()).path("parameters").forEach(p -> out.add(resolve(p)));
        op.node().path("parameters").forEach(p -> out.add(resolve(p)));
        return out;
    }

    public static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return new ArrayList<>(node.properties());
    }
}
