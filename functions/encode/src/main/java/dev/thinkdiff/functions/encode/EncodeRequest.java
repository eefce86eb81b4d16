package dev.thinkdiff.functions.encode;

import dev.thinkdiff.serving.PromptItem;
import dev.thinkdiff.serving.TaskName;
import java.util.List;

/**
 * What to reason about: exactly one of {@code items} (an interleaved prompt, each item a {@code text} or an
 * {@code image} as base64 PNG/JPEG, any size: it is scaled to the VLM's 64×64) or {@code prompt} (a CoBSAT benchmark
 * prompt, built exactly as the benchmark evaluation builds it: instruction, demos, query). Then the variant
 * ({@code lvlm}, the default; {@code clip}: ThinkDiff-CLIP, items only, no sampling settings), the VLM's sampling (absent: the authors'
 * temperature 0.6 and top-p 0.9, a fresh seed, the aligner's training length of tokens; {@code queryContrast} α > 0
 * decodes with TBDN's query contrast, logits (1 + α)·l − α·l without the prompt's final text) and where the embedding goes
 * ({@code output}: absent for inline, or {@code s3://bucket/prefix} to write it there and return a reference).
 */
public record EncodeRequest(List<PromptItem> items, BenchmarkPrompt prompt, String variant, Long seed, Double temperature,
        Double topP, Integer maxTokens, Double queryContrast, String output) {

    /** Prompt {@code index} (0..999) of a task with {@code shots} demos from a split ({@code default}, {@code ft_test}). */
    public record BenchmarkPrompt(TaskName task, Integer index, Integer shots, String split) {
    }
}
