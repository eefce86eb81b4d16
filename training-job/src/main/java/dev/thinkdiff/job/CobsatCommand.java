package dev.thinkdiff.job;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.align.AlignerConfig;
import dev.thinkdiff.cobsat.PromptSplit;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.pipeline.CobsatEvaluation;
import dev.thinkdiff.pipeline.CobsatPlan;
import dev.thinkdiff.pipeline.CobsatResult;
import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.store.BlobStore;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.store.StoreConfig;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.WordingFamily;
import dev.thinkdiff.world.SeedRange;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cobsat", mixinStandardHelpOptions = true,
        description = "Run the CoBSAT benchmark on the whole pipeline (VLM → aligner → diffusion → judge) with the "
                + "baselines and every published aligner variant; write the paper-style tables, a JSON report and an "
                + "HTML gallery. With --shard-count N, run only this shard's batches and write its results to "
                + "--results; `evaluate cobsat-aggregate` turns the N shards into the same report.")
public class CobsatCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(CobsatCommand.class);

    @Option(names = "--tasks", split = ",", description = "Tasks (default: all ten, e.g. C-I,B-II).")
    List<String> tasks;

    @Option(names = "--shots", split = ",", defaultValue = "2,4", description = "Shot counts (default: 2,4).")
    List<Integer> shots;

    @Option(names = "--prompts", defaultValue = "1000", description = "Prompts per task and shot count, from "
            + "--first; 0 runs the control alone (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--first", defaultValue = "0", description = "First prompt index (default: ${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--split", defaultValue = "DEFAULT", description = "${COMPLETION-CANDIDATES} (default: DEFAULT).")
    PromptSplit split;

    @Option(names = "--seed", defaultValue = "2026", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-baselines", description = "Skip the text-only and two-stage baselines.")
    boolean noBaselines;

    @Option(names = "--variants", split = ",", description = "Aligner variants and baselines to run beside "
            + "ThinkDiff, e.g. faithful,reconstruction (default: every published aligner-* variant and the "
            + "reconstruction baseline aligner-reconstruction; none: neither).")
    List<String> variants;

    @Option(names = "--gallery", defaultValue = "2", description = "Gallery episodes per task and shot count "
            + "(default: ${DEFAULT-VALUE}).")
    int gallery;

    @Option(names = "--control", defaultValue = "500", description = "Images for the single-image control "
            + "(image → caption → each method → diffusion → judge; 0 skips it; default: ${DEFAULT-VALUE}).")
    int controlImages;

    @Option(names = "--image-range", defaultValue = "BENCHMARK", description = "Where every image comes from, the "
            + "control's renders and the episodes' demo images: BENCHMARK (held out from every model; the report) or "
            + "MODEL_TRAINING (a development run for choosing a setting: never tune on benchmark-range images; "
            + "default: ${DEFAULT-VALUE}).")
    SeedRange imageRange;

    @Option(names = "--query-contrast", defaultValue = "0", description = "The VLM decodes with TBDN's query "
            + "contrast of this strength α for every method (0: plain sampling; default: ${DEFAULT-VALUE}).")
    double queryContrast;

    @Option(names = "--guidance", description = "Classifier-free guidance of the diffusion sampler for every "
            + "method (default: the diffusion decoder's trained setting).")
    Double guidanceScale;

    @Option(names = "--wording", split = ",", defaultValue = "benchmark", description = "Wording families the "
            + "prompts are worded in (benchmark, plain, task-numbered, request-keyed; held out from training: "
            + "held-out-numbered, held-out-keyed). Several: one run each, reports in --out/<family>/ and the families "
            + "side by side in --out (default: ${DEFAULT-VALUE}).")
    List<String> wordings;

    @Option(names = "--batch", defaultValue = "" + CobsatPlan.DEFAULT_BATCH, description = "Episodes (or "
            + "control images) run at once; a batch is also the unit shards split (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", defaultValue = "out/cobsat", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    // Cloud Run gives every task of a job its index and the task count in these variables.
    @Option(names = "--shard-index", defaultValue = "${env:CLOUD_RUN_TASK_INDEX:-0}", description = "This shard, "
            + "0..count-1: it runs batches index, index + count, … (default: $CLOUD_RUN_TASK_INDEX, else 0).")
    int shardIndex;

    @Option(names = "--shard-count", defaultValue = "${env:CLOUD_RUN_TASK_COUNT:-1}", description = "Shards the run "
            + "is split into (default: $CLOUD_RUN_TASK_COUNT, else 1).")
    int shardCount;

    @Option(names = "--results", paramLabel = "DIR|s3://BUCKET/PREFIX", description = "Write this shard's results "
            + "(settings, model versions, every episode's verdicts) there as shard-IIII-of-NNNN.json instead of the "
            + "report; s3:// goes through the model store's S3 settings (thinkdiff.store.s3.*).")
    String results;

    @Inject
    ModelCache cache;

    @Inject
    ModelStore store;

    @Inject
    StoreConfig storeConfig;

    @Override
    public Integer call() throws Exception {
        if (prompts < 0 || first < 0 || first + prompts > 1000) {
            throw new IllegalArgumentException("--first and --prompts must pick indices in 0..999");
        }
        CobsatPlan.Shard shard = new CobsatPlan.Shard(shardIndex, shardCount);
        if (results == null && shard.count() > 1) {
            throw new IllegalArgumentException("a shard writes its results to --results; `evaluate cobsat-aggregate` "
                    + "makes the report");
        }
        List<Task> chosen = tasks == null ? Task.paperOrder() : tasks.stream().map(Task::parse).toList();
        CobsatPlan.Settings settings = new CobsatPlan.Settings(chosen, shots,
                IntStream.range(first, first + prompts).boxed().toList(), split, seed, controlImages, imageRange, batch,
                gallery, guidanceScale, WordingFamily.BENCHMARK, queryContrast);
        List<WordingFamily> families = wordings.stream().map(WordingFamily::byId).toList();
        if (families.size() > 1 && results != null) {
            throw new IllegalArgumentException("a sharded run takes one --wording family");
        }
        LoadedModel alignerModel = cache.fetchLatest(Components.FAMILY, Components.ALIGNER);
        LoadedModel diffusionModel = cache.fetchLatest(Components.FAMILY, Components.DIFFUSION);
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put(Components.ALIGNER, alignerModel.ref().version());
        versions.put(Components.DIFFUSION, diffusionModel.ref().version());
        LoadedModel judgeModel = cache.fetchLatest(Components.FAMILY, Components.JUDGE);
        versions.put(Components.JUDGE, judgeModel.ref().version());
        ModelInputs alignerInputs = ModelInputs.pinned(cache, alignerModel);
        List<Aligner> opened = new ArrayList<>();
        try (MiniLmPromptEncoder promptEncoder = MiniLmPromptEncoder.load();
                Aligner aligner = Aligner.load(alignerModel);
                Vlm vlm = Vlm.load(alignerInputs.fetch(Components.VLM));
                Judge judge = Judge.load(judgeModel);
                DiffusionPipeline diffusion = DiffusionPipeline.load(diffusionModel, cache, promptEncoder)) {
            Map<String, CobsatEvaluation.AnswerMethod> answerMethods = new LinkedHashMap<>();
            answerMethods.put("thinkdiff", CobsatEvaluation.AnswerMethod.thinkDiff());
            if (!noBaselines) {
                answerMethods.put("two-stage", CobsatEvaluation.AnswerMethod.twoStage(promptEncoder));
            }
            String vlmVersion = alignerInputs.versions().get(Components.VLM);
            Map<String, LoadedModel> variantModels = new LinkedHashMap<>();
            for (String variant : variants == null ? AlignerComponent.publishedCompared(store)
                    : variants.equals(List.of("none")) ? List.<String>of() : variants) {
                String component = AlignerComponent.comparedComponent(variant);
                LoadedModel model = cache.fetchLatest(Components.FAMILY, component);
                String mismatch = mismatch(model.manifest().inputs(), vlmVersion, diffusionModel.ref().version());
                if (mismatch != null) {
                    String why = component + " " + model.ref().version() + " was trained on " + mismatch
                            + " (`train-all` retrains it)";
                    if (variants != null) {
                        throw new IllegalArgumentException(why);
                    }
                    LOG.warn("skipped: " + why);
                    continue;
                }
                variantModels.put(variant, model);
                Aligner variantAligner = Aligner.load(model);
                opened.add(variantAligner);
                versions.put(component, model.ref().version());
                answerMethods.put(variant, CobsatEvaluation.AnswerMethod.aligner(variantAligner,
                        variantAligner.config().features() == AlignerConfig.Features.INPUT));
            }
            Map<String, CobsatEvaluation.Method> methods = new LinkedHashMap<>();
            answerMethods.forEach((name, method) -> methods.put(name, CobsatEvaluation.Method.of(method)));
            if (!noBaselines) {
                methods.put("text-only", CobsatEvaluation.Method.textOnly(promptEncoder));
            }
            Map<WordingFamily, CobsatResult> byFamily = new LinkedHashMap<>();
            for (WordingFamily family : families.subList(0, families.size() - 1)) {
                System.out.println("wording " + family.id() + (family.heldOut() ? " (held out)" : ""));
                CobsatResult result = CobsatEvaluation.run(new ThinkDiffEncoder(vlm, aligner), diffusion,
                        judge, answerMethods, methods, settings.withWording(family), shard);
                CobsatReport.write(result, settings.withWording(family), versions, out.resolve(family.id()));
                byFamily.put(family, result);
            }
            WordingFamily last = families.get(families.size() - 1);
            settings = settings.withWording(last);
            CobsatResult result = CobsatEvaluation.run(new ThinkDiffEncoder(vlm, aligner), diffusion, judge,
                    answerMethods, methods, settings, shard);
            if (!byFamily.isEmpty()) {
                CobsatReport.write(result, settings, versions, out.resolve(last.id()));
                byFamily.put(last, result);
                CobsatReport.writeWordings(byFamily, settings, versions, out);
            } else if (results == null) {
                CobsatReport.write(result, settings, versions, out);
                CobsatReport.writeNormAblationCurves(variantModels, out);
            } else {
                try (BlobStore location = BlobStores.location(results, storeConfig.s3())) {
                    CobsatShards.write(location, shard, settings, List.copyOf(methods.keySet()), versions, result);
                }
                System.out.printf(Locale.ROOT, "%s: %d episodes, %d control images in %.0f s; results in %s/%s%n",
                        shard, result.episodes().size(), result.control().size(), result.seconds(), results,
                        CobsatShards.name(shard));
            }
        } finally {
            opened.forEach(Aligner::close);
        }
        return 0;
    }

    /**
     * Why an aligner cannot run beside the default one (null if it can): every method reads the same VLM's features,
     * and an aligner trained through a diffusion decoder must be drawn by that one.
     */
    private static String mismatch(Map<String, String> inputs, String vlmVersion, String diffusionVersion) {
        String vlm = inputs.get(Components.VLM);
        if (!vlmVersion.equals(vlm)) {
            return "vlm " + vlm + ", the default aligner on vlm " + vlmVersion;
        }
        String diffusion = inputs.get(Components.DIFFUSION);
        if (diffusion != null && !diffusion.equals(diffusionVersion)) {
            return "diffusion " + diffusion + ", this run draws with " + diffusionVersion;
        }
        return null;
    }
}
