package dev.thinkdiff.it;

import dev.thinkdiff.store.LoadedModel;
import dev.thinkdiff.store.LocalDirectoryBlobStore;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pocket family as shipped in the repository's {@code models/} store, fetched through a verified cache. */
final class ShippedModels {

    static final Path ROOT = Path.of("..", "models");
    static final String FAMILY = "pocket";

    private ShippedModels() {
    }

    static LoadedModel fetchLatest(String component, Path cacheDir) {
        if (!Files.isDirectory(ROOT.resolve(FAMILY).resolve(component))) {
            throw new AssertionError("no shipped " + component + " under " + ROOT.toAbsolutePath().normalize());
        }
        return new ModelCache(new ModelStore(new LocalDirectoryBlobStore(ROOT)), cacheDir)
                .fetchLatest(FAMILY, component);
    }
}
