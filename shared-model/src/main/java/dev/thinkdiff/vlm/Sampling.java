package dev.thinkdiff.vlm;

/**
 * How the next token is chosen: greedy ({@code temperature == 0}), or temperature + nucleus (top-p) sampling from a
 * seeded stream (prompt i of a call draws from {@code Seeds.mix(seed, i)}, so a call is reproducible). With
 * {@code queryContrast} α > 0, TBDN's query-contrastive decoding (arXiv 2601.06169): each step's logits l become
 * (1 + α)·l − α·l', l' the logits of the same prompt without its final query text fed the same answer so far, which
 * pushes the answer away from what the VLM would say without the query (its prior).
 */
public record Sampling(double temperature, double topP, long seed, double queryContrast) {

    public static final Sampling GREEDY = new Sampling(0, 1, 0);

    public Sampling {
        if (temperature < 0 || topP <= 0 || topP > 1 || !(queryContrast >= 0) || Double.isInfinite(queryContrast)) {
            throw new IllegalArgumentException("temperature must be ≥ 0, top-p in (0, 1] and the query contrast "
                    + "finite and ≥ 0, got " + temperature + ", " + topP + ", " + queryContrast);
        }
    }

    /** Plain decoding, no query contrast. */
    public Sampling(double temperature, double topP, long seed) {
        this(temperature, topP, seed, 0);
    }

    public Sampling withQueryContrast(double strength) {
        return new Sampling(temperature, topP, seed, strength);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
