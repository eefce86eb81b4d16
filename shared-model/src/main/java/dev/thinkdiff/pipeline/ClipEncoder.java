package dev.thinkdiff.pipeline;

import dev.thinkdiff.align.ClipAligner;
import dev.thinkdiff.align.ClipAlignerConfig;
import dev.thinkdiff.clip.ClipVision;
import dev.thinkdiff.diffusion.PromptEmbedding;
import dev.thinkdiff.text.PromptEncoder;
import dev.thinkdiff.vlm.VlmItem;
import java.util.List;

/**
 * ThinkDiff-CLIP's inference path, the one code path of the evaluation and of the encode function: the prompt
 * embedding is concat(aligned CLIP tokens of each image, in order; prompt-encoder states of the text), a prompt
 * embedding for {@link dev.thinkdiff.diffusion.DiffusionPipeline}. The text's states are always there, [CLS] and
 * [SEP] around no words for an empty text, as the aligner saw them in training when the caption was split before its
 * first word. Owns none of its models.
 */
public final class ClipEncoder {

    private final ClipVision vision;
    private final ClipAligner aligner;
    private final PromptEncoder encoder;

    public ClipEncoder(ClipVision vision, ClipAligner aligner, PromptEncoder encoder) {
        ClipAlignerConfig config = aligner.config();
        if (vision.config().width() != config.clipWidth() || vision.config().tokens() != config.imageTokens()
                || encoder.dimension() != config.promptDimension()) {
            throw new IllegalArgumentException("the aligner maps " + config.imageTokens() + " tokens of "
                    + config.clipWidth() + " → " + config.promptDimension() + ", the vision encoder gives "
                    + vision.config().tokens() + " of " + vision.config().width() + " and the encoder's states are "
                    + encoder.dimension());
        }
        this.vision = vision;
        this.aligner = aligner;
        this.encoder = encoder;
    }

    public ClipVision vision() {
        return vision;
    }

    public ClipAligner aligner() {
        return aligner;
    }

    public int dimension() {
        return aligner.config().promptDimension();
    }

    /** Aligned tokens of one image: {@link ClipAlignerConfig#positions()} vectors, flat. */
    public float[] imageTokens(int[] image) {
        return aligner.align(vision.tokens(List.of(image))[0]);
    }

    /** The prompt embedding of {@code images} (packed 0xRRGGBB, 64×64) and {@code text}: flat [T × d]. */
    public float[] embed(List<int[]> images, String text) {
        float[][][] tokens = images.isEmpty() ? new float[0][][] : vision.tokens(images);
        float[] textStates = encoder.encode(text).tokenStates(0);
        int d = dimension();
        int perImage = aligner.config().positions() * d;
        float[] embedding = new float[tokens.length * perImage + textStates.length];
        for (int i = 0; i < tokens.length; i++) {
            System.arraycopy(aligner.align(tokens[i]), 0, embedding, i * perImage, perImage);
        }
        System.arraycopy(textStates, 0, embedding, tokens.length * perImage, textStates.length);
        return embedding;
    }

    /** Texts encoded one by one, their states one after the other (a two-stage composition: caption, phrase). */
    public float[] embedTexts(List<String> texts) {
        List<float[]> states = texts.stream().map(text -> encoder.encode(text).tokenStates(0)).toList();
        float[] embedding = new float[states.stream().mapToInt(s -> s.length).sum()];
        int at = 0;
        for (float[] text : states) {
            System.arraycopy(text, 0, embedding, at, text.length);
            at += text.length;
        }
        return embedding;
    }

    /**
     * The embedding of an interleaved prompt: its images in order, its texts joined by spaces ({@link #text}).
     */
    public PromptEmbedding embedding(List<VlmItem> items) {
        List<int[]> images = items.stream().filter(VlmItem.Image.class::isInstance)
                .map(item -> ((VlmItem.Image) item).rgb()).toList();
        return embedding(images, text(items));
    }

    /** The text an interleaved prompt gives the prompt encoder: its text items joined by spaces. */
    public static String text(List<VlmItem> items) {
        return String.join(" ", items.stream().filter(VlmItem.Text.class::isInstance)
                .map(item -> ((VlmItem.Text) item).text()).toList());
    }

    /** One prompt's embedding as a batch of one for the diffusion decoder. */
    public PromptEmbedding embedding(List<int[]> images, String text) {
        return PromptEmbedding.single(embed(images, text), dimension());
    }
}
