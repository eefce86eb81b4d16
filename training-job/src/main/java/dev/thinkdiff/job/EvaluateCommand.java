package dev.thinkdiff.job;

import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeEvaluation;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a published component on fresh benchmark-range data and print its figures.")
public class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Component to evaluate: judge.")
    String component;

    @Option(names = "--version", description = "Published version (default: LATEST).")
    String version;

    @Option(names = "--images", defaultValue = "4000", description = "Fresh benchmark renders (default: 4000).")
    int images;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() {
        if (!component.equals("judge")) {
            throw new IllegalArgumentException("unknown component '" + component + "'; known: judge");
        }
        LoadedModel model = version == null ? cache.fetchLatest(Publisher.FAMILY, component)
                : cache.fetch(new ModelRef(Publisher.FAMILY, component, version));
        System.out.println("evaluating " + model.ref() + " (manifest figures: " + model.manifest().metrics() + ")");
        try (Judge judge = Judge.load(model)) {
            JudgeEvaluation.Result result = JudgeEvaluation.run(judge, images, 0);
            System.out.println(result.table());
        }
        return 0;
    }
}
