package dev.thinkdiff.diffusion;

import java.util.List;
import java.util.Map;

/** Typed reads of a config map that went through JSON (numbers may come back as other Number types). */
final class ConfigMaps {

    private ConfigMaps() {
    }

    static Number number(Map<String, ?> map, String key) {
        Object value = require(map, key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("config '" + key + "' must be a number, got " + value);
        }
        return number;
    }

    static List<Integer> integers(Map<String, ?> map, String key) {
        return ((List<?>) require(map, key)).stream().map(v -> ((Number) v).intValue()).toList();
    }

    static Object require(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("config lacks '" + key + "'; has " + map.keySet());
        }
        return value;
    }
}
