package dev.thinkdiff.world;

/**
 * Render seeds are split by purpose so that no model is ever scored on a render it was trained on. Every render is a
 * pure function of (cell, seed); a seed belongs to exactly one range.
 *
 * <ul>
 *   <li>{@link #JUDGE_TRAINING}: the CoBSAT judge learns from these and nothing else does.</li>
 *   <li>{@link #MODEL_TRAINING}: every other trained model (VLM, decoders, autoencoder, diffusion, aligners).</li>
 *   <li>{@link #BENCHMARK}: benchmark images and every held-out evaluation; no model ever trains on them.</li>
 * </ul>
 */
public enum SeedRange {
    JUDGE_TRAINING(0L, 1_000_000_000L),
    MODEL_TRAINING(1_000_000_000L, 2_000_000_000L),
    BENCHMARK(2_000_000_000L, 3_000_000_000L);

    private final long first;
    private final long end;

    SeedRange(long first, long end) {
        this.first = first;
        this.end = end;
    }

    /** The {@code offset}-th seed of this range. */
    public long seed(long offset) {
        if (offset < 0 || offset >= end - first) {
            throw new IllegalArgumentException("offset " + offset + " outside the " + this + " range");
        }
        return first + offset;
    }

    public boolean contains(long seed) {
        return seed >= first && seed < end;
    }

    public long first() {
        return first;
    }

    public long size() {
        return end - first;
    }

    public static SeedRange of(long seed) {
        for (SeedRange range : values()) {
            if (range.contains(seed)) {
                return range;
            }
        }
        throw new IllegalArgumentException("seed " + seed + " is in no named range (0.." + (BENCHMARK.end - 1) + ")");
    }
}
