package dev.thinkdiff.functions.score;

import dev.thinkdiff.serving.TaskName;

/**
 * What to judge: a generated image (base64 PNG or JPEG) for a task, with what it should show given either directly
 * ({@code expected}: the text's item x and the latent θ) or as a CoBSAT benchmark prompt ({@code prompt}).
 */
public record ScoreRequest(TaskName task, Expected expected, BenchmarkPrompt prompt, String image) {

    /** x: the item the text named (an attribute for type-I tasks, a subject for type-II); θ: the demos' latent. */
    public record Expected(String x, String theta) {
    }

    /** Prompt {@code index} (0..999) of a split ({@code default} or {@code ft_test}) with {@code shots} demos. */
    public record BenchmarkPrompt(Integer index, Integer shots, String split) {
    }
}
