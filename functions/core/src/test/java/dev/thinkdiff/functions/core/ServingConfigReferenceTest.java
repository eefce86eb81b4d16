package dev.thinkdiff.functions.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thinkdiff.serving.ServingConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** functions/README.md's configuration table lists exactly {@link ServingConfig}'s keys, with their defaults. */
class ServingConfigReferenceTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(thinkdiff\\.serving\\.[a-z.-]+)` \\| `([^`]*)` \\|",
            Pattern.MULTILINE);

    @Test
    void theReadmeTableIsTheMappingsKeysAndDefaults() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(README));
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> mapped = new TreeMap<>();
        keys(ServingConfig.class, ServingConfig.class.getAnnotation(ConfigMapping.class).prefix(), mapped);
        assertEquals(mapped, documented);
    }

    /** SmallRye's names: a method's name in kebab case, nested groups by their method's name. */
    private static void keys(Class<?> group, String prefix, Map<String, String> keys) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isSynthetic() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            if (method.getReturnType().isInterface()) {
                keys(method.getReturnType(), name, keys);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                keys.put(name, value == null ? "" : value.value());
            }
        }
    }
}
