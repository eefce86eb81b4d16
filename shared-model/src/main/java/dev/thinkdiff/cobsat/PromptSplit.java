package dev.thinkdiff.cobsat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The benchmark's two prompt files, copied verbatim from CoBSAT (generated there with Python's random.seed(123); they
 * are data, never regenerated). Each prompt is a pair of permutations: x_list picks the text items, theta_list the
 * latent.
 */
public enum PromptSplit {
    /** The 1000 prompts of the main results: permutations of 0..9. */
    DEFAULT("prompts_list_default.json"),
    /** The benchmark's held-out split: 1000 prompts over indices 5..9 only, five entries per list. */
    FT_TEST("prompts_list_ft_test.json");

    /** One entry of a prompt file. */
    public record Prompt(List<Integer> x_list, List<Integer> theta_list) {
    }

    private final String resource;
    private volatile List<Prompt> prompts;

    PromptSplit(String resource) {
        this.resource = resource;
    }

    public List<Prompt> prompts() {
        List<Prompt> loaded = prompts;
        if (loaded == null) {
            loaded = List.copyOf(read());
            prompts = loaded;
        }
        return loaded;
    }

    public Prompt prompt(int index) {
        List<Prompt> all = prompts();
        if (index < 0 || index >= all.size()) {
            throw new IllegalArgumentException("prompt index " + index + " out of range 0.." + (all.size() - 1));
        }
        return all.get(index);
    }

    /** Index into theta_list of the latent for k shots: k + 1 (DEFAULT); (k + 1) mod 5 on the five-entry FT_TEST. */
    public int thetaPosition(int shots) {
        return this == DEFAULT ? shots + 1 : (shots + 1) % 5;
    }

    /** Largest shot count whose query still has an x in the list: 8 for DEFAULT, 4 for FT_TEST. */
    public int maxShots() {
        return this == DEFAULT ? 8 : 4;
    }

    private List<Prompt> read() {
        try (InputStream in = PromptSplit.class.getResourceAsStream("/cobsat/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /cobsat/" + resource);
            }
            return new ObjectMapper().readValue(in, new TypeReference<List<Prompt>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /cobsat/" + resource, e);
        }
    }
}
