package dev.thinkdiff.vlm;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.text.TextCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The VLM's two prompt formats. Captioning: an instruction and one image. In-context: an optional instruction, then the
 * benchmark's interleaved prompt {@code "x1: " [img1] … "xq: "}. Both are answered with {@link TextCorpus#answer}.
 */
public final class VlmPrompts {

    /** The authors' captioning instruction (the evaluation's). */
    public static final String CAPTION_INSTRUCTION = "generate a prompt that can recreate the image";

    /** The authors' CoBSAT instruction (the evaluation's). */
    public static final String EPISODE_INSTRUCTION = TextCorpus.INSTRUCTIONS.get(6) + " "
            + TextCorpus.INSTRUCTIONS.get(7);

    /** Captioning instructions seen in training. */
    public static final List<String> CAPTION_INSTRUCTIONS = List.of("describe the image",
            "describe the image in detail", CAPTION_INSTRUCTION, "what is in the picture?",
            "what is shown in this image?", "image:");

    /** Instructions that may precede a training episode. */
    public static final List<String> EPISODE_INSTRUCTIONS = List.of(EPISODE_INSTRUCTION,
            "give me a detailed diffusion prompt for the next picture", "the next picture is",
            TextCorpus.INSTRUCTIONS.get(6));

    private VlmPrompts() {
    }

    /** An image and an instruction, in either order. */
    public static List<VlmItem> caption(int[] rgb, String instruction, boolean imageFirst) {
        VlmItem image = VlmItem.image(rgb);
        VlmItem text = VlmItem.text(instruction);
        return imageFirst ? List.of(image, text) : List.of(text, image);
    }

    /**
     * An episode's interleaved prompt, each demo image from {@code images} (which may reuse its pixel array).
     *
     * @param instruction text before the episode, or null for none
     */
    public static List<VlmItem> episode(Episode episode, Function<Cell, int[]> images, String instruction) {
        List<VlmItem> items = new ArrayList<>();
        if (instruction != null) {
            items.add(VlmItem.text(instruction));
        }
        for (Episode.Item item : episode.items()) {
            if (item instanceof Episode.Text text) {
                items.add(VlmItem.text(text.text()));
            } else {
                items.add(VlmItem.image(images.apply(((Episode.Image) item).cell())));
            }
        }
        return items;
    }
}
