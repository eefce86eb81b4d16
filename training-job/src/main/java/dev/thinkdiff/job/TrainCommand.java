package dev.thinkdiff.job;

import dev.thinkdiff.store.Components;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a component, checkpointing to the model store as it goes, then publish it there.")
public class TrainCommand implements Callable<Integer> {

    /** Exit code of a run stopped before its last step (SIGTERM): resume it. */
    static final int STOPPED = 3;

    @Parameters(index = "0", description = "Component to train: judge, llm-decoder, vlm, autoencoder, diffusion, "
            + "aligner, aligner-reconstruction, clip-vision, aligner-clip.")
    String component;

    @Option(names = "--run", description = "Local run directory, the working copy (default: runs/<component>).")
    Path runDir;

    @Option(names = "--run-id", description = "The run's name in the store, where its checkpoints go: "
            + "{family}/{component}/runs/{run-id}/ (default: the run directory's name).")
    String runId;

    @Option(names = "--resume", description = "Continue from the newest complete checkpoint, in the store or the run "
            + "directory (on a fresh machine: from the store).")
    boolean resume;

    @Option(names = "--set", description = "Override a training setting, key=value (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--variant", description = "Publish an aligner variant as component aligner-<NAME> "
            + "(faithful, input-tokens, no-mask, norm-ones, no-norm, noise, manifold, snap2048), e.g. with --set "
            + "features=input.")
    String variant;

    @Option(names = "--no-publish", description = "Train only; `publish --run DIR` can publish the run later.")
    boolean noPublish;

    @Inject
    Trainer trainer;

    @Override
    public Integer call() throws Exception {
        TrainableComponent trainable = TrainableComponent.byName(component);
        String published = component;
        if (variant != null) {
            if (!component.equals(Components.ALIGNER)) {
                throw new IllegalArgumentException("--variant applies to the aligner only");
            }
            published = AlignerComponent.variantComponent(variant);
        }
        Path dir = runDir != null ? runDir : Path.of("runs", published);
        Trainer.Run run = new Trainer.Run(trainable, published, trainer.settings(component, trainable,
                trainable.defaultSettings(), overrides), dir,
                runId != null ? runId : dir.toAbsolutePath().normalize().getFileName().toString(), resume);
        Optional<Trainer.Outcome> outcome = trainer.train(run, !noPublish);
        if (outcome.isEmpty()) {
            return STOPPED;
        }
        System.out.println(outcome.get().manifest().toJson());
        if (!noPublish) {
            System.out.println("published " + outcome.get().manifest().ref());
        }
        return 0;
    }
}
