package dev.thinkdiff.store;

/**
 * The pocket family's component names, said once: the store's {@code {family}/{component}} paths, the training job's
 * command line, the functions' readiness data and every manifest's {@code inputs} use these.
 */
public final class Components {

    /** The model family the training job publishes and the functions load by default. */
    public static final String FAMILY = "pocket";

    /** The CoBSAT judge: reads a picture's object and attribute. */
    public static final String JUDGE = "judge";
    /** The small LLM decoder ThinkDiff aligns to (trained on the prompt encoder's states). */
    public static final String LLM_DECODER = "llm-decoder";
    /** The small vision-language model whose in-context features ThinkDiff-LVLM aligns. */
    public static final String VLM = "vlm";
    /** The image autoencoder the diffusion decoder draws in the latent space of. */
    public static final String AUTOENCODER = "autoencoder";
    /** The text-to-image diffusion decoder, conditioned on the prompt encoder's token states. */
    public static final String DIFFUSION = "diffusion";
    /** ThinkDiff-LVLM's aligner: VLM features → the prompt encoder's token space. */
    public static final String ALIGNER = "aligner";
    /** ThinkDiff-CLIP's vision encoder. */
    public static final String CLIP_VISION = "clip-vision";
    /** ThinkDiff-CLIP's aligner: clip-vision tokens → the prompt encoder's token space. */
    public static final String CLIP_ALIGNER = ALIGNER + "-clip";
    /**
     * The frozen prompt encoder (all-MiniLM-L6-v2, shipped with the code, not the store): a manifest's input under
     * this name is the encoder's artifact id, not a store version.
     */
    public static final String PROMPT_ENCODER = "prompt-encoder";

    private Components() {
    }

    /** The component an aligner variant or compared method {@code name} is published as ({@code aligner-NAME}). */
    public static String aligner(String name) {
        return ALIGNER + "-" + name;
    }
}
