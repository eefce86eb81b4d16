package dev.thinkdiff.train;

/**
 * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to {@code peak * finalFraction} at
 * {@code totalSteps}. A pure function of the step, so a resumed run sees exactly the rates of an unbroken one.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double finalFraction) {

    public LearningRateSchedule {
        if (peak <= 0 || warmupSteps < 0 || totalSteps <= 0 || finalFraction < 0 || finalFraction > 1) {
            throw new IllegalArgumentException("bad schedule: peak " + peak + ", warm-up " + warmupSteps + ", total "
                    + totalSteps + ", final fraction " + finalFraction);
        }
    }

    /** The rate of update number {@code step} (0-based). */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (finalFraction + (1 - finalFraction) * cosine);
    }
}
