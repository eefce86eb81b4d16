package dev.thinkdiff.it.infra;

import dev.thinkdiff.job.ThinkDiffCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three function services, the benchmark job and the training template are what the design asks for. */
class TerraformServicesTest {

    private static final TerraformTree tree = TerraformTree.shared();

    @Test
    void theFunctionServiceIsCalledForTheThreeFunctionsWithTheirImages() {
        Map<?, ?> scaling = (Map<?, ?>) tree.module("").variables().get("function_scaling").get("default");
        assertEquals(Set.of("encode", "decode", "score"), scaling.keySet());
        HclText.Block call = TerraformSecurityTest.moduleCall("function");
        assertEquals("var.function_scaling", call.attribute("for_each").orElseThrow());
        assertEquals("\"${module.registry.url}/thinkdiff-${each.key}:${var.image_tag}\"", call.attribute("image").orElseThrow());
        assertEquals("\"./modules/function-service\"", call.attribute("source").orElseThrow());
    }

    @Test
    void eachFunctionIsAScaleToZeroL4ServiceProbedOnTheHealthEndpoints() {
        Map<?, ?> service = (Map<?, ?>) TerraformSecurityTest.resources(tree.module("modules/function-service"),
                "google_cloud_run_v2_service").get("this");
        Map<?, ?> template = (Map<?, ?>) service.get("template");
        assertEquals("EXECUTION_ENVIRONMENT_GEN2", template.get("execution_environment"));
        assertEquals("nvidia-l4", ((Map<?, ?>) template.get("node_selector")).get("accelerator"));
        assertEquals(0, ((Number) ((Map<?, ?>) template.get("scaling")).get("min_instance_count")).intValue());
        Map<?, ?> container = (Map<?, ?>) template.get("containers");
        Map<?, ?> resources = (Map<?, ?>) container.get("resources");
        assertEquals(Map.of("cpu", "4", "memory", "16Gi", "nvidia.com/gpu", "1"), resources.get("limits"));
        assertEquals(Boolean.FALSE, resources.get("cpu_idle"), "GPU services need CPU always allocated");
        assertEquals("/q/health/ready", httpGetPath(container, "startup_probe"));
        assertEquals("/q/health/live", httpGetPath(container, "liveness_probe"));
        String code = tree.module("modules/function-service").allCode();
        assertTrue(code.contains("max_instance_count = var.max_instances"));
        assertTrue(code.contains("max_instance_request_concurrency = var.concurrency"));
        assertTrue(code.matches("(?s).*name\\s*=\\s*\"THINKDIFF_SERVING_POOL_WORKERS\"\\s*value\\s*=\\s*tostring\\(var\\.concurrency\\).*"),
                "the pool size the app is given is the concurrency");
    }

    @Test
    void theBenchmarkJobShardsOnTheTaskIndexAndTheTrainingTemplateIsAnA100() {
        Map<?, ?> job = (Map<?, ?>) TerraformSecurityTest.resources(tree.module("modules/benchmark-job"),
                "google_cloud_run_v2_job").get("this");
        Map<?, ?> task = (Map<?, ?>) ((Map<?, ?>) job.get("template")).get("template");
        assertEquals("nvidia-l4", ((Map<?, ?>) task.get("node_selector")).get("accelerator"));
        String code = tree.module("modules/benchmark-job").allCode();
        assertTrue(code.contains("task_count  = var.shards"));
        for (String piece : List.of("--shard-index \\\"$CLOUD_RUN_TASK_INDEX\\\"", "--shard-count \\\"$CLOUD_RUN_TASK_COUNT\\\"")) {
            assertTrue(code.contains(piece), piece);
        }
        assertTrue(TerraformSecurityTest.moduleCall("benchmark_job").attribute("args").orElseThrow()
                .startsWith("concat([\"evaluate\", \"cobsat\""));

        Map<?, ?> template = (Map<?, ?>) TerraformSecurityTest.resources(tree.module("modules/training-job"),
                "google_compute_instance_template").get("this");
        assertEquals("a2-highgpu-1g", template.get("machine_type"));
        assertEquals("TERMINATE", ((Map<?, ?>) template.get("scheduling")).get("on_host_maintenance"));
        assertEquals("DELETE", ((Map<?, ?>) template.get("scheduling")).get("instance_termination_action"));
    }

    @Test
    void everyFlagTheBenchmarkJobPassesIsAnOptionOfEvaluateCobsat() {
        Map<?, ?> job = (Map<?, ?>) TerraformSecurityTest.resources(tree.module("modules/benchmark-job"),
                "google_cloud_run_v2_job").get("this");
        Map<?, ?> container = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) job.get("template")).get("template"))
                .get("containers");
        String passed = container.get("command") + " "
                + TerraformSecurityTest.moduleCall("benchmark_job").attribute("args").orElseThrow();
        Set<String> flags = new TreeSet<>();
        Matcher flag = Pattern.compile("--[a-z][a-z-]*").matcher(passed);
        while (flag.find()) {
            flags.add(flag.group());
        }
        assertEquals(Set.of("--results", "--shard-count", "--shard-index"), flags);
        CommandLine cobsat = new CommandLine(new ThinkDiffCommand()).getSubcommands().get("evaluate")
                .getSubcommands().get("cobsat");
        assertTrue(cobsat.getCommandSpec().optionsMap().keySet().containsAll(flags),
                cobsat.getCommandSpec().optionsMap().keySet().toString());
    }

    private static Object httpGetPath(Map<?, ?> container, String probe) {
        return ((Map<?, ?>) ((Map<?, ?>) container.get(probe)).get("http_get")).get("path");
    }
}
