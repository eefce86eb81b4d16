package dev.thinkdiff.train;

import java.util.List;
import java.util.Map;

/** Typed reads of a config map that went through JSON (numbers may come back as other Number types). */
public final class ConfigMaps {

    private ConfigMaps() {
    }

    public static Number number(Map<String, ?> map, String key) {
        Object value = require(map, key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("config '" + key + "' must be a number, got " + value);
        }
        return number;
    }

    public static List<Integer> integers(Map<String, ?> map, String key) {
        return ((List<?>) require(map, key)).stream().map(v -> ((Number) v).intValue()).toList();
    }

    public static String string(Map<String, ?> map, String key) {
        return String.valueOf(require(map, key));
    }

    public static boolean bool(Map<String, ?> map, String key) {
        Object value = require(map, key);
        if (value instanceof Boolean flag) {
            return flag;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw new IllegalArgumentException("config '" + key + "' must be true or false, got " + value);
    }

    public static Object require(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("config lacks '" + key + "'; has " + map.keySet());
        }
        return value;
    }
}
