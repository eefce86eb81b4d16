package dev.thinkdiff.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;

/**
 * Process-wide DJL settings that must hold before the engine loads: never download (libtorch comes from the jar on
 * the classpath) and extract libtorch once into a stable cache directory. Explicit -D settings win.
 */
public final class DjlRuntime {

    public static final String OFFLINE = "ai.djl.offline";
    public static final String CACHE_DIR = "DJL_CACHE_DIR";

    private DjlRuntime() {
    }

    public static void configure() {
        if (System.getProperty(OFFLINE) == null) {
            System.setProperty(OFFLINE, "true");
        }
        if (System.getProperty(CACHE_DIR) == null && System.getenv(CACHE_DIR) == null) {
            System.setProperty(CACHE_DIR, defaultCacheDir().toString());
        }
    }

    /**
     * Readies the calling thread for inference-only model building: loads the PyTorch engine (and its native library)
     * if no thread has yet, then turns PyTorch's grad mode off, which is per thread; DJL turns it off only on the thread
     * that loaded the engine, and initialising networks' leaves in place fails where it is on.
     */
    public static void prepareInferenceThread() {
        configure();
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
    }

    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "thinkdiff", "djl");
    }
}
