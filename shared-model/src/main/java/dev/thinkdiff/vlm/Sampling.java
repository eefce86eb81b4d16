package dev.thinkdiff.vlm;

/**
 * How the next token is chosen: greedy ({@code temperature == 0}), or temperature + nucleus (top-p) sampling from a
 * seeded stream (prompt i of a call draws from {@code Seeds.mix(seed, i)}, so a call is reproducible).
 */
public record Sampling(double temperature, double topP, long seed) {

    public static final Sampling GREEDY = new Sampling(0, 1, 0);

    public Sampling {
        if (temperature < 0 || topP <= 0 || topP > 1) {
            throw new IllegalArgumentException("temperature must be ≥ 0 and top-p in (0, 1], got " + temperature
                    + ", " + topP);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
