package dev.thinkdiff.store;

/** A {@link BlobStore} has nothing under the requested key. */
public class BlobNotFoundException extends RuntimeException {

    private final String key;

    public BlobNotFoundException(String key) {
        super("no blob under key '" + key + "'");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
