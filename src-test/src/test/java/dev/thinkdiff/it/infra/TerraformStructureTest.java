package dev.thinkdiff.it.infra;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every .tf file parses and is balanced; variables and module calls agree with the modules they belong to and call. */
class TerraformStructureTest {

    private static final TerraformTree tree = TerraformTree.shared();

    @Test
    void theRootTheSixModulesAndTheExampleEnvironmentArePresent() {
        Set<String> modules = new TreeSet<>();
        tree.modules.values().forEach(m -> modules.add(m.name()));
        assertEquals(new TreeSet<>(List.of("(root)", "environments/example", "modules/benchmark-job", "modules/function-service",
                "modules/identities", "modules/registry", "modules/storage", "modules/training-job")), modules);
    }

    @Test
    void everyFileParsesAndItsBracketsBalanceOutsideStringsAndComments() {
        List<String> errors = new ArrayList<>();
        tree.modules.values().forEach(m -> m.texts().forEach(t -> errors.addAll(t.errors)));
        assertEquals(List.of(), errors);
        // hcl4j parsed every file when the tree was loaded; each yields at least one top-level section.
        tree.modules.values().forEach(m -> m.parsed().forEach(p -> assertTrue(!p.isEmpty(), m.name() + " has an empty file")));
    }

    @Test
    void theBalanceCheckCatchesWhatTheParserLetsThrough() {
        assertEquals(List.of("t.tf:1: '{' is never closed"), new HclText("t.tf", "resource \"a\" \"b\" {\n  x = [1]\n").errors);
        assertEquals(List.of("t.tf:1: ']' closes '(' of t.tf:1"), new HclText("t.tf", "x = (1]\n").errors);
        assertEquals(List.of(), new HclText("t.tf", "x = \"${a[\"{\"]} }\" # ) \ny = \"$${\"\n/* [ */\n").errors);
    }

    @Test
    void everyVariableUsedIsDeclaredAndEveryDeclaredOneIsUsed() {
        List<String> problems = new ArrayList<>();
        for (TerraformTree.Module module : tree.modules.values()) {
            Set<String> declared = module.variables().keySet();
            Set<String> used = module.usedVariables();
            used.stream().filter(v -> !declared.contains(v)).forEach(v -> problems.add(module.name() + ": var." + v + " is not declared"));
            declared.stream().filter(v -> !used.contains(v)).forEach(v -> problems.add(module.name() + ": variable " + v + " is never used"));
            module.variables().forEach((name, body) -> {
                if (!(body.get("description") instanceof String d) || d.isBlank()) {
                    problems.add(module.name() + ": variable " + name + " has no description");
                }
            });
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyModuleCallPassesTheCalledModulesRequiredVariablesAndNoUnknownOnes() {
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (TerraformTree.Module module : tree.modules.values()) {
            for (Map.Entry<String, Map<String, Object>> call : module.moduleCalls().entrySet()) {
                calls++;
                TerraformTree.Module called = tree.called(module, call.getValue());
                Set<String> passed = TerraformTree.Module.arguments(call.getValue());
                Map<String, Map<String, Object>> variables = called.variables();
                variables.forEach((name, body) -> {
                    if (!body.containsKey("default") && !passed.contains(name)) {
                        problems.add(module.name() + " module." + call.getKey() + " does not pass required " + name);
                    }
                });
                passed.stream().filter(a -> !variables.containsKey(a))
                        .forEach(a -> problems.add(module.name() + " module." + call.getKey() + " passes unknown " + a));
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(7, calls, "root: registry, identities, storage, function, training_job, benchmark_job; example: thinkdiff");
    }
}
