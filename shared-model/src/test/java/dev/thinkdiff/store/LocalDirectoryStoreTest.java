package dev.thinkdiff.store;

import java.nio.file.Path;

class LocalDirectoryStoreTest extends StoreContract {

    @Override
    protected BlobStore openBlobStore(Path scratch) {
        return new LocalDirectoryBlobStore(scratch);
    }
}
