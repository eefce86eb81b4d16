package dev.thinkdiff.job;

import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.ModelCache;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.store.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The configured model store (local directory or S3 API) and its verified local cache, one of each per process. */
@ApplicationScoped
public class ModelStores {

    @Produces
    @Singleton
    ModelStore store(StoreConfig config) {
        return new ModelStore(BlobStores.open(config));
    }

    @Produces
    @Singleton
    ModelCache cache(ModelStore store, StoreConfig config) {
        return new ModelCache(store, config.cacheDir());
    }
}
