package dev.thinkdiff.job;

import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.SeedRange;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
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
                    .toList(), imageRange, reportDir);
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
