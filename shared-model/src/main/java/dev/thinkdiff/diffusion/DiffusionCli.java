package dev.thinkdiff.diffusion;

import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.LocalDirectoryBlobStore;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Developer entry points until the training-job CLI wraps them (local model stores are plain folders):
 * <pre>
 * autoencoder RUN_DIR --store DIR [--resume] [--steps N] [--judge-store DIR]   train, publish, judge reconstructions
 * diffusion RUN_DIR --store DIR [--resume] [--steps N] [--stop-after N] [--judge-store DIR]
 *                                                                 train on the store's latest autoencoder, publish
 * evaluate --store DIR --judge-store DIR --out DIR [--parameters FILE]
 *                                  text → image evaluation + contact sheet (FILE: a checkpoint, default config)
 * evaluate-autoencoder --store DIR --judge-store DIR --out DIR     the judge on reconstructions
 * benchmark --store DIR [--batch N]                                seconds per image, FLOP/s
 * </pre>
 */
public final class DiffusionCli {

    public static final String FAMILY = "pocket";
    public static final String AUTOENCODER = "autoencoder";
    public static final String DIFFUSION = "diffusion";
    public static final String JUDGE = "judge";

    private DiffusionCli() {
    }

    public static void main(String[] args) throws IOException {
        List<String> flags = List.of(args);
        switch (args[0]) {
            case "autoencoder" -> trainAutoencoder(Path.of(args[1]), flags);
            case "diffusion" -> trainDiffusion(Path.of(args[1]), flags);
            case "evaluate" -> evaluate(flags);
            case "evaluate-autoencoder" -> evaluateAutoencoder(flags);
            case "benchmark" -> benchmark(flags);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static void trainAutoencoder(Path runDir, List<String> flags) throws IOException {
        AutoencoderConfig config = AutoencoderConfig.defaults();
        if (flags.contains("--steps")) {
            config = config.withSteps(Integer.parseInt(value(flags, "--steps")));
        }
        System.out.println("config " + config.toMap());
        AutoencoderTraining.Result result = AutoencoderTraining.run(config, runDir, flags.contains("--resume"), -1);
        System.out.printf("steps %d, wall %.1f s, metrics %s%n", result.stepsDone(), result.wallSeconds(),
                result.metrics());
        if (!result.completed()) {
            return;
        }
        Manifest.Builder manifest = result.manifest(new ModelRef(FAMILY, AUTOENCODER, "steps-" + result.stepsDone()));
        if (flags.contains("--judge-store")) {
            try (Judge judge = judge(flags, runDir); ImageAutoencoder autoencoder = result.load()) {
                AutoencoderEvaluation.Result evaluation = AutoencoderEvaluation.run(autoencoder, judge,
                        config.evalImages());
                System.out.println(evaluation.table());
                evaluation.metrics().forEach(manifest::metric);
            }
        }
        publish(flags, manifest.build(), Map.of(ImageAutoencoder.PARAMETERS_FILE, result.parameters()));
    }

    private static void trainDiffusion(Path runDir, List<String> flags) throws IOException {
        DiffusionConfig config = DiffusionConfig.defaults();
        if (flags.contains("--steps")) {
            config = config.withSteps(Integer.parseInt(value(flags, "--steps")));
        }
        int stopAfter = flags.contains("--stop-after") ? Integer.parseInt(value(flags, "--stop-after")) : -1;
        System.out.println("config " + config.toMap());
        ModelCache cache = cache(flags, "--store", runDir.resolve("model-cache"));
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                ImageAutoencoder autoencoder = ImageAutoencoder.load(cache.fetchLatest(FAMILY, AUTOENCODER))) {
            DiffusionTraining.Result result = DiffusionTraining.run(config, autoencoder, encoder, runDir,
                    flags.contains("--resume"), stopAfter);
            System.out.printf("steps %d, wall %.1f s, metrics %s%n", result.stepsDone(), result.wallSeconds(),
                    result.metrics());
            if (!result.completed()) {
                return;
            }
            Manifest.Builder manifest = result.manifest(new ModelRef(FAMILY, DIFFUSION,
                    "steps-" + result.stepsDone()));
            if (flags.contains("--judge-store")) {
                try (Judge judge = judge(flags, runDir);
                        DiffusionPipeline pipeline = DiffusionPipeline.load(config, result.parameters(),
                                ImageAutoencoder.load(cache.fetchLatest(FAMILY, AUTOENCODER)), encoder)) {
                    DiffusionEvaluation.Result evaluation = DiffusionEvaluation.run(pipeline, encoder, judge);
                    report(evaluation, runDir);
                    evaluation.metrics().forEach(manifest::metric);
                }
            }
            publish(flags, manifest.build(), Map.of(DiffusionPipeline.PARAMETERS_FILE, result.parameters()));
        }
    }

    private static void evaluate(List<String> flags) throws IOException {
        Path out = Path.of(value(flags, "--out"));
        Files.createDirectories(out);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                Judge judge = judge(flags, out);
                DiffusionPipeline pipeline = pipeline(flags, encoder, out)) {
            report(DiffusionEvaluation.run(pipeline, encoder, judge), out);
        }
    }

    private static void evaluateAutoencoder(List<String> flags) throws IOException {
        Path out = Path.of(value(flags, "--out"));
        Files.createDirectories(out);
        try (Judge judge = judge(flags, out);
                ImageAutoencoder autoencoder = ImageAutoencoder.load(cache(flags, "--store",
                        out.resolve("model-cache")).fetchLatest(FAMILY, AUTOENCODER))) {
            AutoencoderEvaluation.Result evaluation = AutoencoderEvaluation.run(autoencoder, judge,
                    autoencoder.config().evalImages());
            System.out.println(evaluation.table());
            Files.writeString(out.resolve("autoencoder-judge-metrics.txt"),
                    new TreeMap<>(evaluation.metrics()).toString());
        }
    }

    private static void benchmark(List<String> flags) throws IOException {
        int batch = flags.contains("--batch") ? Integer.parseInt(value(flags, "--batch")) : 16;
        Path scratch = Files.createTempDirectory("diffusion-benchmark");
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                DiffusionPipeline pipeline = pipeline(flags, encoder, scratch)) {
            System.out.println(DiffusionBenchmark.run(pipeline, encoder, batch, 3).summary());
        }
    }

    /** The store's latest diffusion decoder, or the checkpoint given by --parameters (default config). */
    private static DiffusionPipeline pipeline(List<String> flags, MiniLmPromptEncoder encoder, Path dir) {
        ModelCache cache = cache(flags, "--store", dir.resolve("model-cache"));
        ImageAutoencoder autoencoder = ImageAutoencoder.load(cache.fetchLatest(FAMILY, AUTOENCODER));
        if (flags.contains("--parameters")) {
            return DiffusionPipeline.load(DiffusionConfig.defaults(), Path.of(value(flags, "--parameters")),
                    autoencoder, encoder);
        }
        LoadedModel diffusion = cache.fetchLatest(FAMILY, DIFFUSION);
        return DiffusionPipeline.load(diffusion, autoencoder, encoder);
    }

    private static void report(DiffusionEvaluation.Result evaluation, Path dir) throws IOException {
        System.out.println(evaluation.table());
        ImageIO.write(evaluation.contactSheet(), "png", dir.resolve("t2i-contact-sheet.png").toFile());
        Files.writeString(dir.resolve("t2i-metrics.txt"), new TreeMap<>(evaluation.metrics()).toString());
    }

    private static Judge judge(List<String> flags, Path dir) {
        return Judge.load(cache(flags, "--judge-store", dir.resolve("judge-cache")).fetchLatest(FAMILY, JUDGE));
    }

    private static ModelCache cache(List<String> flags, String flag, Path cacheDir) {
        return new ModelCache(new ModelStore(new LocalDirectoryBlobStore(Path.of(value(flags, flag)))), cacheDir);
    }

    /** Publishes unless the version is already there (a re-run of a finished run keeps the first publication). */
    private static void publish(List<String> flags, Manifest manifest, Map<String, Path> files) {
        ModelStore store = new ModelStore(new LocalDirectoryBlobStore(Path.of(value(flags, "--store"))));
        ModelRef ref = manifest.ref();
        if (store.versions(ref.family(), ref.component()).contains(ref.version())) {
            System.out.println(ref + " is already published in " + value(flags, "--store"));
            return;
        }
        store.publish(manifest, files);
        System.out.println("published " + ref + " to " + value(flags, "--store"));
    }

    private static String value(List<String> flags, String flag) {
        int index = flags.indexOf(flag);
        if (index < 0 || index + 1 >= flags.size()) {
            throw new IllegalArgumentException("missing " + flag + " VALUE");
        }
        return flags.get(index + 1);
    }
}
