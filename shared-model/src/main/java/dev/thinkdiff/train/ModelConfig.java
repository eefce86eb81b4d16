package dev.thinkdiff.train;

import java.util.Map;

/**
 * What every model config is: a record of the settings that rebuild and retrain one model, written to its manifest
 * by {@link ConfigCodec} and read back by the config's own codec.
 */
public interface ModelConfig {

    /** Parameter initialisation and training data: step k's batch is a function of (seed, k). */
    long seed();

    /** Optimiser steps of a complete run. */
    int steps();

    /** Steps between checkpoints. */
    int checkpointInterval();

    AdamW.Settings optimizerSettings();

    /** The manifest's {@code config}: one snake_case key per record component. */
    default Map<String, Object> toMap() {
        return ConfigCodec.toMap((Record) this);
    }
}
