package dev.thinkdiff.store;

/** A model file's bytes do not match the SHA-256 its manifest promises; the file is never handed out. */
public class ModelIntegrityException extends RuntimeException {

    public ModelIntegrityException(String message) {
        super(message);
    }

    public ModelIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }

    static ModelIntegrityException hashMismatch(ModelRef ref, String file, String where, String expected,
                                                String actual) {
        return new ModelIntegrityException("SHA-256 mismatch for file '" + file + "' of " + ref + " (" + where
                + "): expected " + expected + ", actual " + actual);
    }
}
