package dev.thinkdiff.it.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private by default: no public members anywhere, one writer of the models, private buckets, credentials only in
 * Secret Manager. The bucket-IAM analysis is complete only under rules the test also checks: bucket IAM is granted by
 * {@code google_storage_bucket_iam_member} resources alone, on buckets of the same module, with literal roles.
 */
class TerraformSecurityTest {

    /** Roles that only read a bucket; every other role on the models bucket counts as write access. */
    private static final Set<String> READ_ONLY_ROLES = Set.of("roles/storage.objectViewer", "roles/storage.legacyObjectReader",
            "roles/storage.legacyBucketReader", "roles/storage.bucketViewer");
    private static final Pattern PUBLIC = Pattern.compile("allUsers|allAuthenticatedUsers");
    private static final Pattern BUCKET_REF = Pattern.compile("^google_storage_bucket\\.([a-z_]+)\\.name$");
    private static final Pattern QUOTED = Pattern.compile("^\"([^\"$]*)\"$");

    private static final TerraformTree tree = TerraformTree.shared();

    @Test
    void noPublicMemberAppearsOutsideTheValidationsThatRefuseIt() throws IOException {
        List<String> found = new ArrayList<>();
        for (TerraformTree.Module module : tree.modules.values()) {
            for (HclText text : module.texts()) {
                if (PUBLIC.matcher(text.without("validation")).find()) {
                    found.add(text.name);
                }
                if (Pattern.compile("invoker_iam_disabled\\s*=\\s*true").matcher(text.code).find()) {
                    found.add(text.name + " disables the invoker check");
                }
            }
        }
        String example = Files.readString(TerraformTree.ROOT.resolve("environments/example/terraform.tfvars.example"));
        if (PUBLIC.matcher(example).find()) {
            found.add("terraform.tfvars.example");
        }
        assertEquals(List.of(), found);
        // The root variable itself refuses them: its validation accepts named members only.
        String rootVariables = tree.module("").texts().stream().map(t -> t.code).reduce("", String::concat);
        assertTrue(rootVariables.contains("^(user|group|serviceAccount|domain|principal|principalSet):.+"));
    }

    @Test
    void theTrainingIdentityAloneWritesTheModelsAndTheBenchmarkAloneWritesTheResults() {
        List<String> problems = new ArrayList<>();
        List<String> modelWriters = new ArrayList<>();
        List<String> resultWriters = new ArrayList<>();
        List<String> jobWriters = new ArrayList<>();
        for (TerraformTree.Module module : tree.modules.values()) {
            for (HclText.Block resource : module.blocks("resource")) {
                String type = resource.label(0);
                String where = module.name() + " " + type + "." + resource.label(1);
                if (type.startsWith("google_storage_") && (type.contains("acl") || type.contains("access_control")
                        || type.endsWith("_iam_binding") || type.endsWith("_iam_policy"))) {
                    problems.add(where + ": grant storage access with google_storage_bucket_iam_member only");
                }
                if (type.matches("google_(project|folder|organization)_iam_.*")
                        && resource.attribute("role").map(r -> r.contains("roles/storage.")).orElse(true)) {
                    problems.add(where + ": no storage role (or non-literal role) at project level");
                }
                if (!type.equals("google_storage_bucket_iam_member")) {
                    continue;
                }
                Matcher role = QUOTED.matcher(resource.attribute("role").orElse(""));
                Matcher bucket = BUCKET_REF.matcher(resource.attribute("bucket").orElse(""));
                String member = resource.attribute("member").orElse("");
                if (!role.matches() || !bucket.matches()) {
                    problems.add(where + ": role must be a literal and bucket a google_storage_bucket of the module");
                } else if (!READ_ONLY_ROLES.contains(role.group(1))) {
                    (bucket.group(1).equals("models") ? modelWriters : bucket.group(1).equals("jobs") ? jobWriters
                            : resultWriters).add(module.name() + ":" + member);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(List.of("modules/storage:var.model_writer"), modelWriters);
        assertEquals(List.of("modules/storage:var.results_writer"), resultWriters);
        HclText.Block storageCall = moduleCall("storage");
        assertEquals("module.identities.members[\"training\"]", storageCall.attribute("model_writer").orElseThrow());
        assertEquals("module.identities.members[\"benchmark\"]", storageCall.attribute("results_writer").orElseThrow());
        String readers = storageCall.attribute("model_readers").orElseThrow();
        assertFalse(readers.contains("training"), "the writer needs no separate read grant: " + readers);
        assertEquals(List.of("modules/storage:each.value"), jobWriters, "the jobs bucket: its writers only");
        assertEquals("{ for name in [\"encode\", \"decode\", \"score\"] : name => module.identities.members[name] }",
                storageCall.attribute("jobs_writers").orElseThrow(), "the three functions alone write the jobs");
    }

    @Test
    void bucketsAreUniformAccessAndPublicAccessPrevented() {
        Map<String, Object> buckets = resources(tree.module("modules/storage"), "google_storage_bucket");
        assertEquals(Set.of("models", "results", "jobs"), buckets.keySet());
        buckets.forEach((name, body) -> {
            Map<?, ?> bucket = (Map<?, ?>) body;
            assertEquals(Boolean.TRUE, bucket.get("uniform_bucket_level_access"), name);
            assertEquals("enforced", bucket.get("public_access_prevention"), name);
        });
        long bucketsElsewhere = tree.modules.values().stream()
                .filter(m -> !m.name().equals("modules/storage"))
                .filter(m -> !resources(m, "google_storage_bucket").isEmpty()).count();
        assertEquals(0, bucketsElsewhere);
    }

    @Test
    void credentialsLiveInSecretManagerOnlyAndNoOutputCarriesASecret() {
        List<String> problems = new ArrayList<>();
        for (TerraformTree.Module module : tree.modules.values()) {
            for (HclText.Block output : module.blocks("output")) {
                // depends_on only orders (the secret versions exist before a workload reads them); it passes no value.
                String value = output.body().replaceAll("(?m)^\\s*depends_on\\s*=.*$", "");
                if (Pattern.compile("hmac|secret_data|\\.secret\\b|secret_version|sensitive").matcher(value).find()) {
                    problems.add(module.name() + " output " + output.label(0));
                }
            }
            for (HclText.Block resource : module.blocks("resource")) {
                if (resource.attribute("secret_data").filter(QUOTED.asPredicate()).isPresent()) {
                    problems.add(module.name() + ": a literal secret in " + resource.label(1));
                }
            }
        }
        assertEquals(List.of(), problems);
        // The HMAC key of each identity goes to a secret version, the plain environment carries no credential, and
        // the workloads receive the credentials as secret references.
        TerraformTree.Module identities = tree.module("modules/identities");
        assertEquals(Set.of("this"), resources(identities, "google_storage_hmac_key").keySet());
        String version = identities.blocks("resource").stream().filter(b -> b.label(0).equals("google_secret_manager_secret_version"))
                .findFirst().orElseThrow().attribute("secret_data").orElseThrow();
        assertTrue(version.contains("google_storage_hmac_key.this[") && version.contains(".secret"), version);
        Map<?, ?> locals = tree.module("").locals();
        Map<?, ?> storeEnv = (Map<?, ?>) locals.get("store_env");
        assertTrue(storeEnv.keySet().stream().noneMatch(k -> k.toString().matches(".*(ACCESS|SECRET)_KEY")), storeEnv.keySet().toString());
        for (String consumer : List.of("modules/function-service", "modules/benchmark-job")) {
            assertTrue(Pattern.compile("for_each\\s*=\\s*var\\.secret_env[\\s\\S]*secret_key_ref")
                    .matcher(tree.module(consumer).allCode()).find(), consumer);
        }
        assertTrue(tree.module("modules/training-job").allCode().contains("secretmanager.googleapis.com"));
    }

    @Test
    void everyWorkloadRunsAsItsOwnServiceAccount() {
        Map<?, ?> locals = tree.module("").locals();
        assertEquals(Set.of("encode", "decode", "score", "training", "benchmark"), ((Map<?, ?>) locals.get("identities")).keySet());
        assertEquals("module.identities.emails[each.key]", moduleCall("function").attribute("service_account_email").orElseThrow());
        assertEquals("module.identities.emails[\"training\"]", moduleCall("training_job").attribute("service_account_email").orElseThrow());
        assertEquals("module.identities.emails[\"benchmark\"]", moduleCall("benchmark_job").attribute("service_account_email").orElseThrow());
    }

    static HclText.Block moduleCall(String name) {
        return tree.module("").blocks("module").stream().filter(b -> b.label(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no module." + name + " in the root module"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resources(TerraformTree.Module module, String type) {
        Map<String, Object> all = new java.util.LinkedHashMap<>();
        for (Map<String, Object> file : module.parsed()) {
            if (file.get("resource") instanceof Map<?, ?> resources && resources.get(type) instanceof Map<?, ?> ofType) {
                all.putAll((Map<String, Object>) ofType);
            }
        }
        return all;
    }
}
