package dev.thinkdiff.align;

import dev.thinkdiff.store.LoadedModel;
import java.nio.file.Path;

/**
 * A trained ThinkDiff-CLIP aligner: the LVLM aligner's network ({@link Aligner}) reading one image's CLIP tokens as
 * its config says (with position codes if it appends them). Thread-safe as {@link Aligner} is.
 */
public final class ClipAligner implements AutoCloseable {

    private final ClipAlignerConfig config;
    private final Aligner aligner;

    private ClipAligner(ClipAlignerConfig config, Aligner aligner) {
        this.config = config;
        this.aligner = aligner;
    }

    /** Loads a published {@code aligner-clip} version. */
    public static ClipAligner load(LoadedModel model) {
        ClipAlignerConfig config = ClipAlignerConfig.CODEC.fromMap(model.manifest().config());
        return load(config, model.path(Aligner.PARAMETERS_FILE),
                config.snapStates() > 0 ? model.path(StateBank.FILE_NAME) : null, model.ref().toString());
    }

    /** @param snapBank the {@link StateBank} file when the config snaps, else null */
    public static ClipAligner load(ClipAlignerConfig config, Path parameters, Path snapBank, String version) {
        return new ClipAligner(config, Aligner.load(config.aligner(), parameters, snapBank, version));
    }

    public ClipAlignerConfig config() {
        return config;
    }

    public String version() {
        return aligner.version();
    }

    /** One image's CLIP tokens [T][W] → aligned vectors, flat [T × d]. */
    public float[] align(float[][] tokens) {
        return aligner.align(config.alignerInput(tokens));
    }

    @Override
    public void close() {
        aligner.close();
    }
}
