package dev.thinkdiff.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * A component's training configuration: the defaults its config record carries, overridden by configuration keys
 * {@code thinkdiff.train.<component>.<key>} (properties, -D, environment) and then by {@code --set key=value}.
 * Values stay strings here; the component's {@code fromMap} parses them.
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
        settings.put(key, current instanceof List<?> ? List.of(value.split(",")) : value);
    }
}
