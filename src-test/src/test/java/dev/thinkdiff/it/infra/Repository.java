package dev.thinkdiff.it.infra;

import java.nio.file.Path;

/** The repository's root: tests run in {@code src-test/}. */
final class Repository {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Repository() {
    }
}
