package dev.thinkdiff.job;

import dev.thinkdiff.train.ConfigCodec;
import dev.thinkdiff.train.ModelConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * A component's training configuration: its default settings, overridden by configuration keys
 * {@code thinkdiff.train.<component>.<key>} (properties, -D, environment) and then by {@code --set key=value}. Both
 * are parsed by the config's {@link ConfigCodec}, strictly: an unknown key or a value not of the key's type is refused
 * with an error naming it and where it came from.
 */
final class TrainingSettings {

    private TrainingSettings() {
    }

    static Map<String, Object> resolve(String component, ConfigCodec<?> codec, Map<String, Object> defaults,
            Config config, List<String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> sources = new HashMap<>();
        String prefix = "thinkdiff.train." + component + ".";
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                String key = name.substring(prefix.length());
                settings.put(key, config.getValue(name, String.class));
                sources.put(key, name);
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + override + "'");
            }
            String key = override.substring(0, equals);
            settings.put(key, override.substring(equals + 1));
            sources.put(key, "--set " + override);
        }
        return apply(codec, defaults, settings, sources);
    }

    private static <C extends Record & ModelConfig> Map<String, Object> apply(ConfigCodec<C> codec,
            Map<String, Object> defaults, Map<String, String> settings, Map<String, String> sources) {
        return codec.withText(codec.fromMap(defaults), settings, sources).toMap();
    }
}
