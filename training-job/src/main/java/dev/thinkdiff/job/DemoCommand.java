package dev.thinkdiff.job;

import dev.thinkdiff.align.Aligner;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.pipeline.ThinkDiffEncoder;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelInputs;
import dev.thinkdiff.text.MiniLmPromptEncoder;
import dev.thinkdiff.vlm.Vlm;
import dev.thinkdiff.vlm.VlmPrompts;
import dev.thinkdiff.world.BenchmarkImages;
import dev.thinkdiff.world.ContactSheet;
import dev.thinkdiff.world.SeedRange;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on the embedded default: draw the world, show one benchmark prompt with its images, and run ThinkDiff
 * on it with the shipped models (VLM → aligner → diffusion decoder → judge).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Render the world's contact sheet, print a benchmark prompt with its images, and draw its "
                + "answer with ThinkDiff (and the two-stage baseline) on the shipped models, judged.")
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "2026", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EpisodeOptions prompt;

    @Inject
    ModelCache cache;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path sheet = out.resolve("contact-sheet.png");
        ImageIO.write(ContactSheet.draw(List.of(Theme.values()), SeedRange.BENCHMARK.seed(0)), "png", sheet.toFile());
        System.out.println("contact sheet of all 500 cells: " + sheet);
        Episode episode = prompt.episode();
        PromptPrinter.print(episode, out.resolve("prompt"));
        drawAnswer(episode, out.resolve("prompt"));
        return 0;
    }

    private void drawAnswer(Episode episode, Path dir) throws IOException {
        LoadedModel alignerModel = cache.fetchLatest(Components.FAMILY, Components.ALIGNER);
        try (MiniLmPromptEncoder encoder = MiniLmPromptEncoder.load();
                Vlm vlm = Vlm.load(ModelInputs.pinned(cache, alignerModel).fetch(Components.VLM));
                Aligner aligner = Aligner.load(alignerModel);
                Judge judge = Judge.load(cache.fetchLatest(Components.FAMILY, Components.JUDGE));
                DiffusionPipeline diffusion = DiffusionPipeline.load(
                        cache.fetchLatest(Components.FAMILY, Components.DIFFUSION), cache, encoder)) {
            ThinkDiffEncoder.Encoded answer = new ThinkDiffEncoder(vlm, aligner).encode(
                    List.of(VlmPrompts.episode(episode, BenchmarkImages::render, VlmPrompts.EPISODE_INSTRUCTION)),
                    aligner.config().sampling(seed), new long[] {seed}, aligner.config().maxNewTokens()).get(0);
            System.out.println("VLM:      \"" + answer.generation().text() + "\"");
            Map<String, float[]> embeddings = new LinkedHashMap<>();
            embeddings.put("thinkdiff", answer.embedding());
            embeddings.put("two-stage", encoder.encode(answer.generation().text()).tokenStates(0));
            for (Map.Entry<String, float[]> entry : embeddings.entrySet()) {
                int[] pixels = diffusion.generate(PromptEmbedding.stack(List.of(entry.getValue()),
                        encoder.dimension()), new long[] {seed}, diffusion.defaultSettings()).get(0);
                Path file = dir.resolve(entry.getKey() + ".png");
                ImageIO.write(DiffusionPipeline.toImage(pixels), "png", file.toFile());
                Judgement verdict = judge.score(pixels, episode.task(), episode.expected());
                System.out.printf("%-9s %s: %s%n", entry.getKey() + ":", file,
                        verdict.correct() ? "judged correct" : "judged wrong (x right: " + verdict.textual()
                                + ", θ right: " + verdict.visual() + ")");
            }
        }
    }
}
