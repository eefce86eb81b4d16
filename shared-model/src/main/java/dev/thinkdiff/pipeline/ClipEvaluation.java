package dev.thinkdiff.pipeline;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thinkdiff.clip.ClipTexts;
import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.diffusion.DiffusionPipeline;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.judge.Judge;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.llm.LlmDecoder;
import dev.thinkdiff.text.TextCorpus;
import dev.thinkdiff.train.Seeds;
import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * ThinkDiff-CLIP measured end to end ({@link ClipEncoder} → diffusion decoder → judge) on fresh benchmark-range
 * renders of random cells, which no model trained on:
 * <ul>
 * <li>{@link Case#SINGLE_IMAGE}: an image of (a, s), no text → expected (a, s);</li>
 * <li>{@link Case#IMAGE_TEXT}: an image of (a, s) and the word of another attribute a' of the theme → (a', s);</li>
 * <li>{@link Case#TEXT_ONLY}: that word alone, the baseline showing what the image adds (its subject is chance);</li>
 * <li>{@link Case#TWO_IMAGES}: images of (a, s) and (a', s') of one theme, a ≠ a', s ≠ s', no text; asked for
 *     (a', s), the subject of the first and the attribute of the second. The concatenation carries no role for
 *     either image, so nothing in it says which image gives which item: the outcome is reported as which of the four
 *     combinations the judge saw.</li>
 * </ul>
 * Every example's render seeds and diffusion seed are drawn from one stream of (seed, case).
 */
public final class ClipEvaluation {

    private static final int BATCH = 50;

    /** The demonstrations. */
    public enum Case {
        SINGLE_IMAGE("single image"), IMAGE_TEXT("image + text"), TEXT_ONLY("text only (baseline)"),
        TWO_IMAGES("two images");

        private final String label;

        Case(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One example.
     *
     * @param sources the cells of the input images (empty for text only)
     * @param images the input renders
     * @param text the text item ("" for none)
     * @param expected the cell the example asks for
     * @param drawn what the diffusion decoder drew
     * @param seen the cell the judge saw in it (theme of {@code expected})
     */
    public record Example(Case kind, List<Cell> sources, List<int[]> images, String text, Cell expected, int[] drawn,
                          Cell seen) {

        public boolean correct() {
            return seen.equals(expected);
        }
    }

    /** Every example, in case order. */
    public record Result(List<Example> examples) {

        public List<Example> of(Case kind) {
            return examples.stream().filter(e -> e.kind() == kind).toList();
        }

        /** Per case: both-correct, attribute-correct and subject-correct rates against the expected cell. */
        public Map<String, Double> metrics() {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Case kind : Case.values()) {
                List<Example> examples = of(kind);
                if (examples.isEmpty()) {
                    continue;
                }
                String key = kind.name().toLowerCase(Locale.ROOT);
                metrics.put(key + ".both", rate(examples, e -> e.correct()));
                metrics.put(key + ".attribute", rate(examples, e -> e.seen().attribute() == e.expected().attribute()));
                metrics.put(key + ".subject", rate(examples, e -> e.seen().subject() == e.expected().subject()));
                if (kind == Case.IMAGE_TEXT) {
                    metrics.put(key + ".kept_image_attribute", rate(examples,
                            e -> e.seen().attribute() == e.sources().get(0).attribute()));
                }
                if (kind == Case.TWO_IMAGES) {
                    metrics.put(key + ".first_cell", rate(examples, e -> e.seen().equals(e.sources().get(0))));
                    metrics.put(key + ".second_cell", rate(examples, e -> e.seen().equals(e.sources().get(1))));
                    metrics.put(key + ".other_mix", rate(examples, e -> e.seen().equals(new Cell(
                            e.expected().theme(), e.sources().get(1).subject(), e.sources().get(0).attribute()))));
                }
            }
            return metrics;
        }

        public String table() {
            Map<String, Double> m = metrics();
            StringBuilder out = new StringBuilder("| case | examples | both correct | attribute | subject | notes |\n"
                    + "|---|---|---|---|---|---|\n");
            for (Case kind : Case.values()) {
                String key = kind.name().toLowerCase(Locale.ROOT);
                if (!m.containsKey(key + ".both")) {
                    continue;
                }
                String notes = switch (kind) {
                    case IMAGE_TEXT -> String.format(Locale.ROOT, "drew the image's own attribute: %.3f",
                            m.get(key + ".kept_image_attribute"));
                    case TWO_IMAGES -> String.format(Locale.ROOT,
                            "drew the first image's cell %.3f, the second's %.3f, the other mix %.3f",
                            m.get(key + ".first_cell"), m.get(key + ".second_cell"), m.get(key + ".other_mix"));
                    default -> "";
                };
                out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %s |%n", kind.label(),
                        of(kind).size(), m.get(key + ".both"), m.get(key + ".attribute"), m.get(key + ".subject"),
                        notes));
            }
            return out.toString();
        }

        private static double rate(List<Example> examples, Predicate<Example> test) {
            return examples.stream().filter(test).count() / (double) examples.size();
        }
    }

    /** What one example feeds the encoder, before drawing. */
    private record Input(List<Cell> sources, List<int[]> images, String text, Cell expected, long diffusionSeed) {
    }

    private ClipEvaluation() {
    }

    /**
     * How often the frozen LLM decoder, reading the embedding of one image and no text (greedy), writes one of the
     * image's texts ({@link ClipTexts}) word for word: the training objective's view of the aligned tokens, on
     * {@code images} fresh benchmark-range renders.
     */
    public static double decoderReads(ClipEncoder encoder, LlmDecoder decoder, int images, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, Case.values().length));
        List<Cell> cells = new ArrayList<>(images);
        List<float[]> embeddings = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            Cell cell = TextCorpus.randomCell(random);
            cells.add(cell);
            embeddings.add(encoder.embed(List.of(render(cell, random)), ""));
        }
        PromptEmbedding batch = PromptEmbedding.stack(embeddings, encoder.dimension());
        List<String> texts;
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(batch.batchSize(), batch.length());
            texts = decoder.generate(manager.create(batch.states(), shape.add(batch.dimension())),
                    manager.create(batch.mask(), shape), decoder.config().maxTargetTokens());
        }
        int read = 0;
        for (int i = 0; i < images; i++) {
            read += ClipTexts.of(cells.get(i)).contains(texts.get(i).trim()) ? 1 : 0;
        }
        return read / (double) images;
    }

    /** Runs {@code perCase} examples of every case. */
    public static Result run(ClipEncoder encoder, DiffusionPipeline diffusion, Judge judge, int perCase, long seed) {
        List<Example> examples = new ArrayList<>();
        for (Case kind : Case.values()) {
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, kind.ordinal()));
            List<Input> inputs = new ArrayList<>(perCase);
            for (int i = 0; i < perCase; i++) {
                inputs.add(input(kind, random));
            }
            for (int from = 0; from < perCase; from += BATCH) {
                List<Input> batch = inputs.subList(from, Math.min(perCase, from + BATCH));
                List<float[]> embeddings = batch.stream().map(in -> encoder.embed(in.images(), in.text())).toList();
                List<int[]> drawn = diffusion.generate(PromptEmbedding.stack(embeddings, encoder.dimension()),
                        batch.stream().mapToLong(Input::diffusionSeed).toArray(), diffusion.defaultSettings());
                for (int i = 0; i < batch.size(); i++) {
                    Input in = batch.get(i);
                    JudgeAnswer answer = judge.answer(drawn.get(i), in.expected().theme());
                    Cell seen = new Cell(in.expected().theme(), answer.subjectOption() - 1,
                            answer.attributeOption() - 1);
                    examples.add(new Example(kind, in.sources(), in.images(), in.text(), in.expected(), drawn.get(i),
                            seen));
                }
            }
        }
        return new Result(examples);
    }

    private static Input input(Case kind, SplittableRandom random) {
        Theme theme = Theme.values()[random.nextInt(Theme.values().length)];
        Cell first = new Cell(theme, random.nextInt(ItemList.SIZE), random.nextInt(ItemList.SIZE));
        int otherAttribute = other(first.attribute(), random);
        Cell second = new Cell(theme, other(first.subject(), random), otherAttribute);
        String word = theme.attributes().display(otherAttribute);
        Cell asked = new Cell(theme, first.subject(), otherAttribute);
        long diffusionSeed = random.nextLong();
        return switch (kind) {
            case SINGLE_IMAGE -> new Input(List.of(first), List.of(render(first, random)), "", first, diffusionSeed);
            case IMAGE_TEXT -> new Input(List.of(first), List.of(render(first, random)), word, asked, diffusionSeed);
            case TEXT_ONLY -> new Input(List.of(), List.of(), word, asked, diffusionSeed);
            case TWO_IMAGES -> new Input(List.of(first, second), List.of(render(first, random),
                    render(second, random)), "", asked, diffusionSeed);
        };
    }

    private static int other(int index, SplittableRandom random) {
        return (index + 1 + random.nextInt(ItemList.SIZE - 1)) % ItemList.SIZE;
    }

    private static int[] render(Cell cell, SplittableRandom random) {
        return new WorldRenderer().renderPixels(cell, SeedRange.BENCHMARK.seed(
                random.nextLong(SeedRange.BENCHMARK.size())));
    }
}
