package dev.thinkdiff.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one reader and writer of model configs (diffusers' config mixin: a config is its record's components). A config
 * is written as a map with one snake_case key per component ({@code checkpointInterval} → {@code checkpoint_interval};
 * enums as lowercase names) and read back strictly: an unknown key, a missing key or a value of the wrong type is
 * refused with an error that names it. The one exception is the config's table of legacy defaults: a key added after
 * versions were published takes, when a manifest lacks it, the value those versions were trained with, so every
 * published manifest still loads as it was trained. Text settings ({@code --set key=value}, configuration keys) are
 * parsed by the same codec, as the type of the component they set.
 *
 * <p>Values are converted by Jackson with coercion off: no string for a number, no fraction for an integer.
 */
public final class ConfigCodec<C extends Record & ModelConfig> {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** A legacy default that is the value of another key (e.g. a use-time setting that defaults to its training value). */
    private record SameAs(String key) {
    }

    private final Class<C> type;
    private final String name;
    private final Map<String, RecordComponent> components = new LinkedHashMap<>();
    private final Map<String, Object> legacyDefaults;
    private final Constructor<C> constructor;

    private ConfigCodec(Class<C> type, String name, Map<String, Object> legacyDefaults) {
        this.type = type;
        this.name = name;
        this.legacyDefaults = Map.copyOf(legacyDefaults);
        for (RecordComponent component : type.getRecordComponents()) {
            components.put(key(component), component);
        }
        try {
            constructor = type.getDeclaredConstructor(Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
        this.legacyDefaults.keySet().forEach(this::component);
    }

    /** The codec of {@code type}, named {@code name} in errors, without legacy defaults. */
    public static <C extends Record & ModelConfig> ConfigCodec<C> of(Class<C> type, String name) {
        return new ConfigCodec<>(type, name, Map.of());
    }

    /** This codec with {@code value} for manifests that lack {@code key} (published before the key existed). */
    public ConfigCodec<C> legacyDefault(String key, Object value) {
        Map<String, Object> defaults = new LinkedHashMap<>(legacyDefaults);
        defaults.put(key, value);
        return new ConfigCodec<>(type, name, defaults);
    }

    /** This codec with the value of {@code otherKey} for manifests that lack {@code key}. */
    public ConfigCodec<C> legacyDefaultSameAs(String key, String otherKey) {
        component(otherKey);
        return legacyDefault(key, new SameAs(otherKey));
    }

    /** The config record this codec reads and writes. */
    public Class<C> type() {
        return type;
    }

    /** The keys a config has, in component order. */
    public Set<String> keys() {
        return components.keySet();
    }

    /** One key per component, in component order. */
    public static Map<String, Object> toMap(Record config) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent component : config.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
            map.put(key(component), JSON.convertValue(value, Object.class));
        }
        return map;
    }

    /** Reads what {@link #toMap} wrote, also after a JSON round trip; refuses unknown and missing keys. */
    public C fromMap(Map<String, ?> map) {
        List<String> unknown = map.keySet().stream().filter(key -> !components.containsKey(key)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + " config: unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + "; known: " + keys());
        }
        List<String> missing = keys().stream()
                .filter(key -> !map.containsKey(key) && !legacyDefaults.containsKey(key)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(name + " config lacks " + missing + "; has " + map.keySet());
        }
        List<Object> arguments = new ArrayList<>();
        for (Map.Entry<String, RecordComponent> entry : components.entrySet()) {
            String key = entry.getKey();
            Object value = map.containsKey(key) ? map.get(key) : legacyDefaults.get(key);
            if (value instanceof SameAs same) {
                value = map.containsKey(same.key()) ? map.get(same.key()) : legacyDefaults.get(same.key());
            }
            arguments.add(convert(key, value, entry.getValue()));
        }
        try {
            return constructor.newInstance(arguments.toArray());
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException invalid) {
                throw invalid;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type, e);
        }
    }

    /**
     * {@code base} with {@code settings} (key → text) applied: each text is parsed as the type of its key (a list:
     * comma-separated items), strictly; the result is validated once, as a whole.
     *
     * @param sources where each setting came from, for the error message (keys without a source are named alone)
     */
    public C withText(C base, Map<String, String> settings, Map<String, String> sources) {
        Map<String, Object> map = toMap(base);
        settings.forEach((key, text) -> {
            try {
                map.put(key, parse(key, text));
            } catch (IllegalArgumentException e) {
                String source = sources.get(key);
                throw new IllegalArgumentException(e.getMessage() + (source == null ? "" : " (from " + source + ")"),
                        e);
            }
        });
        return fromMap(map);
    }

    /** {@code text} as the value of {@code key}: a JSON value of the key's type, or for a list, comma-separated ones. */
    private Object parse(String key, String text) {
        RecordComponent component = component(key);
        Class<?> raw = component.getType();
        JsonNode node;
        if (List.class.isAssignableFrom(raw)) {
            List<JsonNode> items = new ArrayList<>();
            for (String item : text.split(",")) {
                items.add(scalar(key, item.trim()));
            }
            node = JSON.createArrayNode().addAll(items);
        } else if (raw == String.class || raw.isEnum()) {
            node = JSON.getNodeFactory().textNode(text.trim());
        } else {
            node = scalar(key, text.trim());
        }
        return JSON.convertValue(convert(key, node, component), Object.class);
    }

    private JsonNode scalar(String key, String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isValueNode()) {
                return node;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            // not a number or boolean: a text item
        }
        return JSON.getNodeFactory().textNode(text);
    }

    private Object convert(String key, Object value, RecordComponent component) {
        if (value == null) {
            throw new IllegalArgumentException(name + " config '" + key + "' must not be null");
        }
        JavaType target = JSON.getTypeFactory().constructType(component.getGenericType());
        try {
            return JSON.convertValue(value, target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " config '" + key + "' must be " + describe(component)
                    + ", got " + (value instanceof JsonNode node ? node.toString() : String.valueOf(value)), e);
        }
    }

    private RecordComponent component(String key) {
        RecordComponent component = components.get(key);
        if (component == null) {
            throw new IllegalArgumentException(name + " config: unknown key '" + key + "'; known: " + keys());
        }
        return component;
    }

    private static String describe(RecordComponent component) {
        Class<?> raw = component.getType();
        if (raw.isEnum()) {
            return "one of " + Arrays.stream(raw.getEnumConstants()).map(c -> c.toString().toLowerCase()).toList();
        }
        if (raw == int.class || raw == long.class) {
            return "an integer";
        }
        if (raw == double.class) {
            return "a number";
        }
        if (raw == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(raw)) {
            return "a list (" + component.getGenericType().getTypeName().replace("java.lang.", "")
                    .replace("java.util.", "") + ")";
        }
        return "a " + raw.getSimpleName();
    }

    private static String key(RecordComponent component) {
        return SNAKE_CASE.translate(component.getName());
    }
}
