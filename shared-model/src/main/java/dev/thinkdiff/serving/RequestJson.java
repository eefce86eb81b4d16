package dev.thinkdiff.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Strict binding of a request body to its record: malformed JSON, unknown fields, wrong types, fractions for integers,
 * strings for numbers and trailing garbage are all refused with a 400 naming the field. Run before the framework's own
 * (lenient) binding, so every body a function receives passed this check.
 */
public final class RequestJson {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // read bare NaN / Infinity so that the refusal names their field (see requireFinite)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .withCoercionConfigDefaults(config -> config
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private final ObjectReader reader;
    private final int maxBytes;

    public RequestJson(Class<?> type, int maxBytes) {
        this.reader = STRICT.readerFor(type);
        this.maxBytes = maxBytes;
    }

    /** @throws RequestException 400 for any binding problem, 413 for a body over the limit */
    public Object check(byte[] body) {
        if (body == null || body.length == 0) {
            throw RequestException.badInput("body", "a JSON object is required");
        }
        if (body.length > maxBytes) {
            throw RequestException.tooLarge("body", body.length + " bytes; at most " + maxBytes);
        }
        try {
            JsonNode tree = STRICT.readTree(body);
            requireFinite(tree, "");
            Object value = reader.readValue(tree);
            if (value == null) {
                throw RequestException.badInput("body", "a JSON object is required, got null");
            }
            return value;
        } catch (IOException e) {
            throw refusal(e);
        }
    }

    /** JSON has no NaN or Infinity: a bare one (or a number too large for a double) is refused on its field. */
    private static void requireFinite(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw RequestException.badInput(path.isEmpty() ? "body" : path, "must be a finite number, got "
                    + node.asText() + " (JSON has no NaN or Infinity)");
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> requireFinite(field.getValue(),
                    (path.isEmpty() ? "" : path + ".") + field.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireFinite(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** The refusal for a JSON binding failure, naming the field; null if {@code t} is not one. */
    public static RequestException refusal(Throwable failure) {
        Throwable t = failure;
        // frameworks wrap what a function throws (Funqy: ApplicationException): look down the cause chain
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof RequestException || t instanceof JsonProcessingException) {
                break;
            }
        }
        if (t == null) {
            return null;
        }
        if (t instanceof RequestException r) {
            return r;
        }
        if (t instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : "; fields: " + u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return RequestException.badInput(path(u), "unknown field '" + u.getPropertyName() + "'" + known);
        }
        if (t instanceof ValueInstantiationException v && v.getCause() instanceof IllegalArgumentException cause) {
            return RequestException.badInput(path(v), cause.getMessage());
        }
        if (t instanceof InvalidFormatException f) {
            return RequestException.badInput(path(f), "cannot read " + describe(f.getValue()) + " as "
                    + typeName(f.getTargetType()));
        }
        if (t instanceof MismatchedInputException m) {
            return RequestException.badInput(path(m), "wrong type: expected " + typeName(m.getTargetType())
                    + " (" + firstLine(m.getOriginalMessage()) + ")");
        }
        if (t instanceof JsonMappingException m) {
            return RequestException.badInput(path(m), firstLine(m.getOriginalMessage()));
        }
        if (t instanceof StreamReadException p) {
            String where = p.getLocation() == null ? "" : " at line " + p.getLocation().getLineNr() + ", column "
                    + p.getLocation().getColumnNr();
            return RequestException.badInput("body", "malformed JSON" + where + ": "
                    + firstLine(p.getOriginalMessage()));
        }
        if (t instanceof JsonProcessingException p) {
            return RequestException.badInput("body", "malformed JSON: " + firstLine(p.getOriginalMessage()));
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.isEmpty() ? "body" : path.startsWith(".") ? path.substring(1) : path;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'"
                : String.valueOf(value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        int source = line.indexOf(" (start marker at [Source");
        line = source < 0 ? line : line.substring(0, source);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

}
