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
 * ThinkDiff-CLIP measured end to end ({@link ClipEncoder} → diffusion decoder → judge) on fresh renders of random
 * cells (benchmark range; model-training range for a development check):
 * <ul>
 * <li>{@link Case#SINGLE_IMAGE}: an image of (a, s), no text → expected (a, s);</li>
 * <li>{@link Case#IMAGE_TEXT}: an image of (a, s) and a short phrase naming another attribute a' of the theme, in one
 *     of several wordings ({@link #phrase}: "make it red", "in watercolor style", "on the beach", …) → (a', s);</li>
 * <li>{@link Case#TEXT_ONLY}: that phrase alone, the baseline showing what the image adds (its subject is chance);</li>
 * <li>{@link Case#TWO_IMAGES}: images of (a, s) and (a', s') of one theme, a ≠ a', s ≠ s', and a phrase saying which
 *     to take from each ("the object of the first image with the color of the second", or the reverse roles), →
 *     the cell it asks for; which of the four combinations the judge saw is reported too;</li>
 * <li>{@link Case#TWO_STAGE}: the single-image ceiling of the two-stage analogue: the frozen LLM decoder's greedy
 *     caption of the image's aligned tokens → prompt encoder → diffusion decoder.</li>
 * </ul>
 * Every example's render seeds and diffusion seed are drawn from one stream of (seed, case).
 */
public final class ClipEvaluation {

    private static final int BATCH = 50;
    /** The decoder-reads images' stream (the case count when it was the last stream, kept so its figure is stable). */
    private static final long READS_STREAM = 4;

    /** The demonstrations. */
    public enum Case {
        SINGLE_IMAGE("single image"), IMAGE_TEXT("image + phrase"), TEXT_ONLY("phrase only (baseline)"),
        TWO_IMAGES("two images + phrase"), TWO_STAGE("two-stage: decoder's caption → encoder (ceiling)"),
        TWO_STAGE_PHRASE("two-stage image + phrase: caption → encoder, then the phrase (ceiling)");

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
                if (kind == Case.IMAGE_TEXT || kind == Case.TWO_IMAGES || kind == Case.TWO_STAGE_PHRASE) {
                    // the attribute of the image that should not give it (IMAGE_TEXT: the only image)
                    metrics.put(key + ".kept_image_attribute", rate(examples,
                            e -> e.seen().attribute() == unwantedAttribute(e)));
                }
                if (kind == Case.TWO_IMAGES) {
                    metrics.put(key + ".first_cell", rate(examples, e -> e.seen().equals(e.sources().get(0))));
                    metrics.put(key + ".second_cell", rate(examples, e -> e.seen().equals(e.sources().get(1))));
                    metrics.put(key + ".other_mix", rate(examples, e -> e.seen().equals(otherMix(e))));
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
                    case IMAGE_TEXT, TWO_STAGE_PHRASE -> String.format(Locale.ROOT,
                            "drew the image's own attribute: %.3f", m.get(key + ".kept_image_attribute"));
                    case TWO_IMAGES -> String.format(Locale.ROOT, "drew the attribute of the image not asked "
                            + "for it %.3f; the first image's cell %.3f, the second's %.3f, the reverse mix %.3f",
                            m.get(key + ".kept_image_attribute"), m.get(key + ".first_cell"),
                            m.get(key + ".second_cell"), m.get(key + ".other_mix"));
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

        /** The attribute of the source image the example does not ask the attribute from. */
        private static int unwantedAttribute(Example e) {
            return e.sources().stream().mapToInt(Cell::attribute).filter(a -> a != e.expected().attribute())
                    .findFirst().orElse(-1);
        }

        /** Two images: the combination with the roles reversed. */
        private static Cell otherMix(Example e) {
            Cell first = e.sources().get(0);
            Cell second = e.sources().get(1);
            boolean subjectFromFirst = e.expected().subject() == first.subject();
            return subjectFromFirst ? new Cell(first.theme(), second.subject(), first.attribute())
                    : new Cell(first.theme(), first.subject(), second.attribute());
        }
    }

    /**
     * What one example feeds the encoder, before drawing ({@code phrase}: the two-stage composition's phrase, kept
     * apart from its caption in {@code text}; "" otherwise).
     */
    private record Input(List<Cell> sources, List<int[]> images, String text, String phrase, Cell expected,
                         long diffusionSeed) {

        Input(List<Cell> sources, List<int[]> images, String text, Cell expected, long diffusionSeed) {
            this(sources, images, text, "", expected, diffusionSeed);
        }

        /** The texts encoded one by one: the text, then the phrase if there is one. */
        List<String> texts() {
            return phrase.isEmpty() ? List.of(text) : List.of(text, phrase);
        }
    }

    private ClipEvaluation() {
    }

    /**
     * How often the frozen LLM decoder, reading the embedding of one image and no text (greedy), writes one of the
     * image's texts ({@link ClipTexts}) word for word: the training objective's view of the aligned tokens, on
     * {@code images} fresh renders of {@code range}.
     */
    public static double decoderReads(ClipEncoder encoder, LlmDecoder decoder, int images, long seed,
            SeedRange range) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, READS_STREAM));
        List<Cell> cells = new ArrayList<>(images);
        List<int[]> renders = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            Cell cell = TextCorpus.randomCell(random);
            cells.add(cell);
            renders.add(render(cell, random, range));
        }
        List<String> texts = read(encoder, decoder, renders);
        int read = 0;
        for (int i = 0; i < images; i++) {
            read += ClipTexts.of(cells.get(i)).contains(texts.get(i)) ? 1 : 0;
        }
        return read / (double) images;
    }

    /** The frozen decoder's greedy text of each image's aligned tokens alone (no text). */
    static List<String> read(ClipEncoder encoder, LlmDecoder decoder, List<int[]> images) {
        PromptEmbedding batch = PromptEmbedding.stack(images.stream().map(image -> encoder.embed(List.of(image), ""))
                .toList(), encoder.dimension());
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(batch.batchSize(), batch.length());
            return decoder.generate(manager.create(batch.states(), shape.add(batch.dimension())),
                    manager.create(batch.mask(), shape), decoder.config().maxTargetTokens()).stream()
                    .map(String::trim).toList();
        }
    }

    /**
     * Runs {@code perCase} examples of every case on renders of {@code range} ({@code decoder}: the two-stage
     * analogue's captioner).
     */
    public static Result run(ClipEncoder encoder, LlmDecoder decoder, DiffusionPipeline diffusion, Judge judge,
            int perCase, long seed, SeedRange range) {
        List<Example> examples = new ArrayList<>();
        for (Case kind : Case.values()) {
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed, kind.ordinal()));
            List<Input> inputs = new ArrayList<>(perCase);
            for (int i = 0; i < perCase; i++) {
                inputs.add(input(kind, random, range));
            }
            for (int from = 0; from < perCase; from += BATCH) {
                List<Input> batch = inputs.subList(from, Math.min(perCase, from + BATCH));
                boolean twoStage = kind == Case.TWO_STAGE || kind == Case.TWO_STAGE_PHRASE;
                if (twoStage) {
                    List<String> captions = read(encoder, decoder, batch.stream().map(in -> in.images().get(0))
                            .toList());
                    List<Input> captioned = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        Input in = batch.get(i);
                        captioned.add(new Input(in.sources(), in.images(), captions.get(i), in.phrase(),
                                in.expected(), in.diffusionSeed()));
                    }
                    batch = captioned;
                }
                // the two-stage analogue draws from its caption (and phrase); its image is shown, not encoded
                List<float[]> embeddings = batch.stream().map(in -> twoStage ? encoder.embedTexts(in.texts())
                        : encoder.embed(in.images(), in.text())).toList();
                List<int[]> drawn = diffusion.generate(PromptEmbedding.stack(embeddings, encoder.dimension()),
                        batch.stream().mapToLong(Input::diffusionSeed).toArray(), diffusion.defaultSettings());
                for (int i = 0; i < batch.size(); i++) {
                    Input in = batch.get(i);
                    JudgeAnswer answer = judge.answer(drawn.get(i), in.expected().theme());
                    Cell seen = new Cell(in.expected().theme(), answer.subjectOption() - 1,
                            answer.attributeOption() - 1);
                    examples.add(new Example(kind, in.sources(), in.images(), String.join(" + ", in.texts()),
                            in.expected(), drawn.get(i), seen));
                }
            }
        }
        return new Result(examples);
    }

    private static Input input(Case kind, SplittableRandom random, SeedRange range) {
        Theme theme = Theme.values()[random.nextInt(Theme.values().length)];
        Cell first = new Cell(theme, random.nextInt(ItemList.SIZE), random.nextInt(ItemList.SIZE));
        int otherAttribute = other(first.attribute(), random);
        Cell second = new Cell(theme, other(first.subject(), random), otherAttribute);
        String phrase = phrase(theme, otherAttribute, random);
        Cell asked = new Cell(theme, first.subject(), otherAttribute);
        long diffusionSeed = random.nextLong();
        return switch (kind) {
            case SINGLE_IMAGE, TWO_STAGE -> new Input(List.of(first), List.of(render(first, random, range)), "",
                    first, diffusionSeed);
            case IMAGE_TEXT -> new Input(List.of(first), List.of(render(first, random, range)), phrase, asked,
                    diffusionSeed);
            case TWO_STAGE_PHRASE -> new Input(List.of(first), List.of(render(first, random, range)), "", phrase,
                    asked, diffusionSeed);
            case TEXT_ONLY -> new Input(List.of(), List.of(), phrase, asked, diffusionSeed);
            case TWO_IMAGES -> {
                List<int[]> images = List.of(render(first, random, range), render(second, random, range));
                boolean subjectFromFirst = random.nextBoolean();
                Cell wanted = subjectFromFirst ? asked : new Cell(theme, second.subject(), first.attribute());
                yield new Input(List.of(first, second), images, roles(theme, subjectFromFirst, random), wanted,
                        diffusionSeed);
            }
        };
    }

    /** The wordings of "change the attribute to the theme's attribute {@code attribute}". */
    static String phrase(Theme theme, int attribute, SplittableRandom random) {
        String w = theme.attributes().display(attribute);
        List<String> wordings = switch (theme) {
            case COLOR -> List.of(w, "make it " + w, "in " + w, "painted " + w);
            case BACKGROUND -> List.of(w, "in the " + w, "on the " + w, "move it to the " + w);
            case STYLE -> List.of(w, "in " + w, "in " + w + " style", "make it " + w);
            case ACTION -> List.of(w, "make it " + w, "now it should " + w, "let it " + w);
            case TEXTURE -> List.of(w, "made of " + w, "make it " + w, "with a " + w + " texture");
        };
        return wordings.get(random.nextInt(wordings.size()));
    }

    /** A phrase naming which image gives the subject and which the attribute, by kind, never by item. */
    static String roles(Theme theme, boolean subjectFromFirst, SplittableRandom random) {
        String subject = theme.subjects().id();
        String attribute = theme.attributes().id();
        String first = subjectFromFirst ? subject : attribute;
        String second = subjectFromFirst ? attribute : subject;
        List<String> wordings = List.of("the " + first + " of the first image with the " + second + " of the second",
                "take the " + first + " from the first picture and the " + second + " from the second",
                "the " + first + " from image one, the " + second + " from image two");
        return wordings.get(random.nextInt(wordings.size()));
    }

    private static int other(int index, SplittableRandom random) {
        return (index + 1 + random.nextInt(ItemList.SIZE - 1)) % ItemList.SIZE;
    }

    private static int[] render(Cell cell, SplittableRandom random, SeedRange range) {
        return new WorldRenderer().renderPixels(cell, range.seed(random.nextLong(range.size())));
    }
}
