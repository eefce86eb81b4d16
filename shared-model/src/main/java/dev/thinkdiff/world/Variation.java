package dev.thinkdiff.world;

import java.util.SplittableRandom;

/**
 * Per-seed variation of a render: where the subject stands, how big, how tilted, how light, and where patterns start.
 * Ranges are small enough that every cell stays recognisable.
 */
record Variation(double dx, double dy, double scale, double rotation, double shade, int phaseX, int phaseY,
        SplittableRandom random) {

    static final double MAX_SHIFT = 4.0;
    static final double MIN_SCALE = 0.85;
    static final double MAX_SCALE = 1.08;
    static final double MAX_ROTATION = Math.toRadians(9);
    static final double MAX_SHADE = 0.10;

    static Variation draw(SplittableRandom random) {
        return new Variation(
                uniform(random, -MAX_SHIFT, MAX_SHIFT),
                uniform(random, -MAX_SHIFT * 0.6, MAX_SHIFT * 0.6),
                uniform(random, MIN_SCALE, MAX_SCALE),
                uniform(random, -MAX_ROTATION, MAX_ROTATION),
                uniform(random, -MAX_SHADE, MAX_SHADE),
                random.nextInt(16),
                random.nextInt(16),
                random);
    }

    double uniform(double low, double high) {
        return uniform(random, low, high);
    }

    static double uniform(SplittableRandom random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
