package dev.thinkdiff.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.StoreConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md, the one configuration reference, lists exactly the keys of the {@code @ConfigMapping}
 * interfaces with their defaults, and every component's training settings with their defaults and meanings (the
 * latter section is written from the code: run with {@code -Dconfiguration.write=true} to rewrite it).
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final Path SOURCES = Path.of("..", "shared-model", "src", "main", "java");
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(thinkdiff\\.(?:serving|store|job)\\.[a-z0-9.-]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final String BEGIN = "<!-- training settings: written by ConfigurationReferenceTest "
            + "(-Dconfiguration.write=true rewrites it) -->\n";
    private static final String END = "<!-- end of training settings -->";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theMappingsKeysAndDefaultsAreTheTables() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(REFERENCE));
        while (row.find()) {
            String cell = row.group(2).trim();
            // a default in backquotes is the mapping's own; anything else describes an unset key
            documented.put(row.group(1), cell.startsWith("`") && cell.endsWith("`")
                    ? cell.substring(1, cell.length() - 1) : null);
        }
        Map<String, String> mapped = new TreeMap<>();
        for (Class<?> mapping : new Class<?>[] {ServingConfig.class, StoreConfig.class, JobConfig.class}) {
            keys(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), mapped);
        }
        assertEquals(mapped, documented);
    }

    @Test
    void theTrainingSettingsAreEveryComponentsConfig() throws IOException {
        String reference = Files.readString(REFERENCE);
        int begin = reference.indexOf(BEGIN);
        int end = reference.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new AssertionError(REFERENCE + " lacks the training settings markers");
        }
        String written = reference.substring(begin + BEGIN.length(), end);
        String expected = trainingSettings();
        if (Boolean.getBoolean("configuration.write")) {
            Files.writeString(REFERENCE, reference.substring(0, begin + BEGIN.length()) + expected
                    + reference.substring(end));
            written = expected;
        }
        assertEquals(expected, written, "rewrite with -Dconfiguration.write=true");
    }

    /**
     * SmallRye's names: a method's name in kebab case, nested groups (interfaces declared inside the mapping) by their
     * method's name; null: no default.
     */
    private static void keys(Class<?> group, String prefix, Map<String, String> keys) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isSynthetic() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                    .toLowerCase(Locale.ROOT);
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() != null
                    && method.getReturnType().getName().startsWith(group.getName().split("\\$")[0])) {
                keys(method.getReturnType(), name, keys);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                keys.put(name, value == null ? null : value.value());
            }
        }
    }

    /** One table per component: each key of its config, the default run's value and the record's @param text. */
    private static String trainingSettings() throws IOException {
        StringBuilder out = new StringBuilder();
        for (TrainableComponent component : TrainableComponent.all()) {
            Class<?> config = component.codec().type();
            Map<String, String> meanings = parameterDocs(config);
            out.append("\n### `").append(component.name()).append("` (`").append(config.getSimpleName())
                    .append("`)\n\n| key | default | meaning |\n|---|---|---|\n");
            for (Map.Entry<String, Object> setting : component.defaultSettings().entrySet()) {
                String meaning = meanings.get(setting.getKey());
                if (meaning == null) {
                    throw new AssertionError(config.getSimpleName() + " documents no @param for "
                            + setting.getKey());
                }
                out.append("| `").append(setting.getKey()).append("` | `").append(json(setting.getValue()))
                        .append("` | ").append(meaning).append(" |\n");
            }
        }
        return out.append('\n').toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record's {@code @param} texts by snake_case key, inline tags reduced to their text, on one line. */
    private static Map<String, String> parameterDocs(Class<?> record) throws IOException {
        String source = Files.readString(SOURCES.resolve(record.getName().replace('.', '/') + ".java"));
        String javadoc = source.substring(0, source.indexOf("public record " + record.getSimpleName()));
        javadoc = javadoc.substring(javadoc.lastIndexOf("/**"));
        Map<String, String> docs = new LinkedHashMap<>();
        Matcher param = Pattern.compile("@param (\\w+) (.*?)(?=\\n \\* @|\\n \\*/)", Pattern.DOTALL)
                .matcher(javadoc);
        while (param.find()) {
            String text = param.group(2).replaceAll("\\n \\*\\s*", " ")
                    .replaceAll("\\{@(?:code|link|linkplain|value) ([^}]*)}", "`$1`")
                    .replace("|", "\\|").trim();
            docs.put(param.group(1).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT), text);
        }
        return docs;
    }
}
