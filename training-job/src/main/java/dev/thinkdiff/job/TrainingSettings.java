package dev.thinkdiff.job;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * A component's training configuration: the defaults its config record carries, overridden by configuration keys
 * {@code thinkdiff.train.<component>.<key>} (properties, -D, environment) and then by {@code --set key=value}.
 * A value is parsed as the type of the default it replaces (lists: comma-separated, typed like their first element).
 */
final class TrainingSettings {

    private TrainingSettings() {
    }

    static Map<String, Object> resolve(String component, Map<String, Object> defaults, Config config,
            List<String> overrides) {
        Map<String, Object> settings = new LinkedHashMap<>(defaults);
        String prefix = "thinkdiff.train." + component + ".";
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                put(settings, name.substring(prefix.length()), config.getValue(name, String.class), name);
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + override + "'");
            }
            put(settings, override.substring(0, equals), override.substring(equals + 1), "--set " + override);
        }
        return settings;
    }

    private static void put(Map<String, Object> settings, String key, String value, String source) {
        if (!settings.containsKey(key)) {
            throw new IllegalArgumentException("unknown training setting '" + key + "' (from " + source
                    + "); known: " + settings.keySet());
        }
        Object current = settings.get(key);
        try {
            if (current instanceof List<?> list) {
                Object example = list.isEmpty() ? "" : list.get(0);
                settings.put(key, Arrays.stream(value.split(",")).map(item -> parse(example, item.trim())).toList());
            } else {
                settings.put(key, parse(current, value.trim()));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("training setting '" + key + "' (from " + source + ") expects "
                    + current.getClass().getSimpleName() + " like " + current + ", got '" + value + "'");
        }
    }

    private static Object parse(Object example, String text) {
        if (example instanceof Integer) {
            return Integer.parseInt(text);
        }
        if (example instanceof Long) {
            return Long.parseLong(text);
        }
        if (example instanceof Double || example instanceof Float) {
            return Double.parseDouble(text);
        }
        if (example instanceof Boolean) {
            return Boolean.parseBoolean(text);
        }
        return text;
    }
}
