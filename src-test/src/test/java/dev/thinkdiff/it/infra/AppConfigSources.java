package dev.thinkdiff.it.infra;

import dev.thinkdiff.job.JobConfig;
import dev.thinkdiff.serving.ServingConfig;
import dev.thinkdiff.store.StoreConfig;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.smallrye.config.common.utils.StringUtil;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * THE place that lists where each deployed application reads its configuration, so the infrastructure's environment
 * variables can be checked against it. A new config mapping of an app goes into its entry; application.properties
 * files are found by the glob.
 */
final class AppConfigSources {

    private AppConfigSources() {
    }

    enum App {
        /** The three Cloud Run services (functions/encode, decode, score). */
        FUNCTIONS(List.of(StoreConfig.class, ServingConfig.class, VertxHttpConfig.class),
                "functions/*/src/main/resources/application.properties",
                Set.of()),
        /** The training job's CLI: the A100 training VM and the benchmark job run its image. */
        TRAINING_JOB(List.of(StoreConfig.class, JobConfig.class),
                "training-job/src/main/resources/application.properties",
                Set.of());

        final List<Class<?>> mappings;
        final String propertiesGlob;
        final Set<String> pendingKeys;

        App(List<Class<?>> mappings, String propertiesGlob, Set<String> pendingKeys) {
            this.mappings = mappings;
            this.propertiesGlob = propertiesGlob;
            this.pendingKeys = pendingKeys;
        }

        /** Whether the app reads the property that this environment variable sets (SmallRye's env-name rule). */
        boolean reads(String envName) {
            return keys().stream().anyMatch(key -> envPattern(key).matcher(envName).matches());
        }

        /** Property names the app reads: its config mappings' (by reflection, as SmallRye maps them) and its files'. */
        Set<String> keys() {
            Set<String> keys = new TreeSet<>(pendingKeys);
            for (Class<?> mapping : mappings) {
                String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
                keys.addAll(ConfigMappings.getProperties(ConfigClass.configClass(mapping, prefix)).keySet());
            }
            for (Path file : propertiesFiles()) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // A profile's keys (%test.…) do not apply in a deployment.
                properties.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(keys::add);
            }
            return keys;
        }

        List<Path> propertiesFiles() {
            var matcher = Repository.ROOT.getFileSystem().getPathMatcher("glob:" + Repository.ROOT + "/" + propertiesGlob);
            try (Stream<Path> walk = Files.walk(Repository.ROOT, 6)) {
                return walk.filter(matcher::matches).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Environment form of a property name: non-alphanumerics become '_', upper case; a map key ('*') any segment. */
    static Pattern envPattern(String propertyName) {
        String[] parts = propertyName.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(StringUtil.replaceNonAlphanumericByUnderscores(parts[i]).toUpperCase()));
        }
        return Pattern.compile(regex.toString());
    }
}
