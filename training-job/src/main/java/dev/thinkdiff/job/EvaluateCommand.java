package dev.thinkdiff.job;

import dev.thinkdiff.diffusion.DiffusionConfig;
import dev.thinkdiff.diffusion.FlowSampler;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.vlm.Sampling;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.SeedRange;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        subcommands = {CobsatCommand.class, CobsatAggregateCommand.class},
        description = "Evaluate a published component on fresh benchmark-range data and print its figures.")
public class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1",
            description = "Component to evaluate: judge, llm-decoder, vlm, autoencoder, diffusion, aligner, "
                    + "clip-vision, aligner-clip (the ThinkDiff-CLIP demonstration).")
    String component;

    @Option(names = "--version", description = "Published version (default: LATEST).")
    String version;

    @Option(names = "--size", description = "How much held-out data: judge: fresh benchmark renders (4000); "
            + "llm-decoder: held-out cells per theme (40); vlm: prompts per task and shot count (1000); autoencoder: benchmark renders (1000); "
            + "clip-vision: renders per cell (1); aligner-clip: examples per case (100).")
    Integer size;

    @Option(names = "--report", description = "Where evaluations that draw write images (default: out/evaluate).")
    Path reportDir = Path.of("out", "evaluate");

    @Option(names = "--wording", split = ",", description = "vlm: wording families to measure one after another "
            + "(benchmark, plain, task-numbered, request-keyed, held-out-numbered, held-out-keyed), written to "
            + "vlm-wordings.json and .md in --report (default: only the benchmark's wording, printed).")
    List<String> wordings;

    @Option(names = "--image-range", defaultValue = "BENCHMARK", description = "vlm with --wording, and "
            + "aligner-clip: where every render comes from, BENCHMARK or MODEL_TRAINING (a development check for "
            + "choosing settings; default: ${DEFAULT-VALUE}).")
    SeedRange imageRange;

    @Option(names = "--query-contrast", defaultValue = "0", description = "vlm with --wording: decode with TBDN's "
            + "query contrast of this strength α (logits (1 + α)·l − α·l without the query; 0: plain greedy, as the "
            + "manifest's figures; default: ${DEFAULT-VALUE}).")
    double queryContrast;

    @Option(names = "--solver", split = ",", description = "diffusion: measure judged accuracy against sampler "
            + "settings instead (euler, heun; every combination with --steps and --guidance, on development "
            + "sampling seeds), written to sampler-curve.json and .md in --report.")
    List<String> solvers;

    @Option(names = "--steps", split = ",", description = "diffusion with --solver: sampler steps (default: the "
            + "model's).")
    List<Integer> steps;

    @Option(names = "--guidance", split = ",", description = "diffusion with --solver: guidance scales (default: the "
            + "model's).")
    List<Double> guidances;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() throws IOException {
        if (component == null) {
            throw new IllegalArgumentException("name a component to evaluate, or `evaluate cobsat` for the benchmark");
        }
        TrainableComponent trainable = TrainableComponent.byName(component);
        LoadedModel model = version == null ? cache.fetchLatest(Components.FAMILY, component)
                : cache.fetch(new ModelRef(Components.FAMILY, component, version));
        System.out.println("evaluating " + model.ref() + " (manifest figures: " + model.manifest().metrics() + ")");
        if (wordings != null) {
            if (!(trainable instanceof VlmComponent vlm)) {
                throw new IllegalArgumentException("--wording applies to the vlm (and to evaluate cobsat)");
            }
            vlm.evaluateWordings(model, size == null ? 1000 : size, wordings.stream().map(WordingFamily::byId)
                    .toList(), imageRange, Sampling.GREEDY.withQueryContrast(queryContrast), reportDir);
            return 0;
        }
        if (solvers != null) {
            if (!(trainable instanceof DiffusionComponent diffusion)) {
                throw new IllegalArgumentException("--solver applies to the diffusion decoder");
            }
            DiffusionConfig config = DiffusionConfig.CODEC.fromMap(model.manifest().config());
            List<FlowSampler.Settings> points = new ArrayList<>();
            for (FlowSampler.Solver solver : solvers.stream().map(FlowSampler.Solver::byId).toList()) {
                for (int count : steps == null ? List.of(config.sampleSteps()) : steps) {
                    for (double guidance : guidances == null ? List.of(config.guidanceScale()) : guidances) {
                        points.add(new FlowSampler.Settings(count, guidance, solver));
                    }
                }
            }
            diffusion.evaluateSamplers(model, cache, points, reportDir);
            return 0;
        }
        Path report = reportDir.resolve(component + "-" + model.ref().version());
        if (trainable instanceof ClipAlignerComponent clip) {
            clip.evaluate(model, size, cache, report, imageRange);
            return 0;
        }
        trainable.evaluate(model, size, cache, report);
        return 0;
    }
}
