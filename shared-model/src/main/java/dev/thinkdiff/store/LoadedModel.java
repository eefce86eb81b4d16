package dev.thinkdiff.store;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A fetched component version: its manifest and a verified local copy of each of its files. */
public record LoadedModel(Manifest manifest, Map<String, Path> files) {

    public LoadedModel {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    public ModelRef ref() {
        return manifest.ref();
    }

    /**
     * @throws IllegalArgumentException naming the available files if {@code name} is not one of them
     */
    public Path path(String name) {
        Path path = files.get(name);
        if (path == null) {
            throw new IllegalArgumentException("no file '" + name + "' in " + ref() + "; files: " + files.keySet());
        }
        return path;
    }
}
