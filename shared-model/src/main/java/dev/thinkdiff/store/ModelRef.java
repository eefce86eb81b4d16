package dev.thinkdiff.store;

/**
 * Names one published component version, e.g. {@code cobsat/judge/2026-11-25T08-00}.
 * Each part becomes one path segment in the store, so none may contain a separator.
 */
public record ModelRef(String family, String component, String version) {

    public ModelRef {
        requireSegment("family", family);
        requireSegment("component", component);
        requireSegment("version", version);
    }

    /** Checks that {@code value} can be used as one segment of a store key. */
    static String requireSegment(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        // A leading '.' is reserved for in-flight temp files of the local backend.
        if (value.contains("/") || value.contains("\\") || value.contains("..") || value.startsWith(".")) {
            throw new IllegalArgumentException(what + " must not contain '/', '\\' or '..' nor start with '.': "
                    + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return family + "/" + component + "/" + version;
    }
}
