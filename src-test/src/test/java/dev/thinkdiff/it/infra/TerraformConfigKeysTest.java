package dev.thinkdiff.it.infra;

import dev.thinkdiff.it.infra.AppConfigSources.App;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every configuration key the Terraform sets (THINKDIFF_*, QUARKUS_*) is one the applications it reaches read. */
class TerraformConfigKeysTest {

    private static final Pattern CONFIG_ENV = Pattern.compile("\\b(?:THINKDIFF|QUARKUS)_[A-Z0-9_]+\\b");
    /** Which applications a module's environment reaches; the root and identities feed every workload. */
    private static final Map<String, List<App>> APPS_OF_MODULE = Map.of(
            "modules/function-service", List.of(App.FUNCTIONS),
            "modules/training-job", List.of(App.TRAINING_JOB),
            "modules/benchmark-job", List.of(App.TRAINING_JOB));

    private static final TerraformTree tree = TerraformTree.shared();

    @Test
    void everyConfigurationVariableIsAKeyTheReceivingApplicationsRead() {
        List<String> unread = new ArrayList<>();
        Set<String> all = new TreeSet<>();
        for (TerraformTree.Module module : tree.modules.values()) {
            List<App> apps = APPS_OF_MODULE.getOrDefault(module.name(), List.of(App.values()));
            Matcher m = CONFIG_ENV.matcher(module.allCode());
            while (m.find()) {
                all.add(m.group());
                for (App app : apps) {
                    if (!app.reads(m.group())) {
                        unread.add(module.name() + ": " + m.group() + " is not read by " + app);
                    }
                }
            }
        }
        assertEquals(List.of(), unread);
        assertTrue(all.containsAll(Set.of("THINKDIFF_STORE_TYPE", "THINKDIFF_STORE_S3_BUCKET", "THINKDIFF_STORE_S3_ENDPOINT",
                "THINKDIFF_STORE_S3_REGION", "THINKDIFF_STORE_S3_PREFIX", "THINKDIFF_STORE_S3_ACCESS_KEY",
                "THINKDIFF_STORE_S3_SECRET_KEY", "QUARKUS_HTTP_PORT")), all.toString());
    }

    @Test
    void envNamesMapToPropertiesTheSmallRyeWay() {
        // From StoreConfig's @ConfigMapping by reflection: camelCase methods become kebab-case segments.
        assertTrue(App.TRAINING_JOB.keys().contains("thinkdiff.store.s3.access-key"));
        assertTrue(App.TRAINING_JOB.reads("THINKDIFF_STORE_S3_ACCESS_KEY"));
        assertTrue(App.TRAINING_JOB.reads("THINKDIFF_STORE_CACHE_DIR"));
        assertFalse(App.TRAINING_JOB.reads("THINKDIFF_STORE_S3_ACCESSKEY"));
        assertFalse(App.TRAINING_JOB.reads("THINKDIFF_STORE_S3_BUKET"));
        // From application.properties (profile keys excluded) and from the HTTP server's mapping.
        assertTrue(App.TRAINING_JOB.reads("QUARKUS_LOG_LEVEL"));
        assertFalse(App.TRAINING_JOB.reads("QUARKUS_HTTP_PORT"));
        assertTrue(App.FUNCTIONS.reads("QUARKUS_HTTP_PORT"));
        assertFalse(App.TRAINING_JOB.reads("_TEST_THINKDIFF_STORE_LOCAL_ROOT"));
    }
}
