package dev.thinkdiff.job;

import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a component, checkpointing as it goes, then publish it to the configured model store.")
public class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Component to train: judge, llm-decoder, vlm, autoencoder, diffusion, aligner.")
    String component;

    @Option(names = "--run", description = "Run directory (default: runs/<component>).")
    Path runDir;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in the run directory.")
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
    Config config;

    @Inject
    ModelStore store;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() throws Exception {
        TrainableComponent trainable = TrainableComponent.byName(component);
        Path dir = runDir != null ? runDir : Path.of("runs", variant == null ? component : component + "-" + variant);
        Map<String, Object> settings = TrainingSettings.resolve(component, trainable.defaultSettings(), config,
                overrides);
        String published = component;
        if (variant != null) {
            if (!component.equals(AlignerComponent.NAME)) {
                throw new IllegalArgumentException("--variant applies to the aligner only");
            }
            published = AlignerComponent.variantComponent(variant);
        }
        Manifest manifest = trainable.train(settings, dir, resume,
                new ModelRef(Publisher.FAMILY, published, Publisher.newVersion()), cache);
        Publisher.saveDraft(dir, manifest);
        System.out.println(manifest.toJson());
        if (!noPublish) {
            Publisher.publishDraft(store, dir);
            System.out.println("published " + manifest.ref());
        }
        return 0;
    }
}
