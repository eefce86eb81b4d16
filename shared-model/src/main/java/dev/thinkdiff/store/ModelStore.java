package dev.thinkdiff.store;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Published model component versions on a {@link BlobStore}, laid out as
 * <pre>
 * {family}/{component}/{version}/{file}
 * {family}/{component}/{version}/manifest.json
 * {family}/{component}/LATEST            (content: the version string)
 * {family}/{component}/runs/{runId}/…     training runs' checkpoints ({@link RunArchive})
 * </pre>
 * A version is visible once its manifest exists, and becomes the latest once {@code LATEST} names it;
 * both are written only after every file is in place.
 */
public final class ModelStore {

    static final String LATEST = "LATEST";

    private final BlobStore blobs;

    public ModelStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * Uploads {@code files}, then the manifest, then moves {@code LATEST} to this version, so readers never see a
     * half-published version. Re-publishing an identical manifest completes an interrupted publish; publishing a
     * different manifest under an existing version is refused, since versions are immutable.
     *
     * @param files local file for each name in the manifest's {@code files}
     * @throws ModelIntegrityException if a file's bytes do not match the manifest's hash
     */
    public void publish(Manifest manifest, Map<String, Path> files) {
        uploadVersion(manifest, files);
        movePointer(manifest.ref());
    }

    /** Files first, manifest second: the version is listed only once it is complete. */
    private void uploadVersion(Manifest manifest, Map<String, Path> files) {
        ModelRef ref = manifest.ref();
        requireMatchingFiles(manifest, files);
        blobs.getBytes(manifestKey(ref)).map(Manifest::read).ifPresent(existing -> {
            if (!existing.toJson().equals(manifest.toJson())) {
                throw new IllegalStateException(ref + " is already published with a different manifest");
            }
        });
        manifest.files().keySet().forEach(name -> blobs.put(fileKey(ref, name), files.get(name)));
        blobs.put(manifestKey(ref), manifest.toJson().getBytes(StandardCharsets.UTF_8));
    }

    private void movePointer(ModelRef ref) {
        blobs.put(latestKey(ref.family(), ref.component()), ref.version().getBytes(StandardCharsets.UTF_8));
    }

    /** The store's copy of training run {@code runId} of a component: its checkpoints and final files. */
    public RunArchive run(String family, String component, String runId) {
        return new RunArchive(blobs, componentPrefix(family, component) + "runs/"
                + ModelRef.requireSegment("run id", runId) + "/");
    }

    /** The version {@code LATEST} points at, if any version was fully published. */
    public Optional<String> latest(String family, String component) {
        return blobs.getBytes(latestKey(family, component))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8).strip());
    }

    /** Versions that have a manifest, sorted; includes a version whose publish stopped before moving the pointer. */
    public List<String> versions(String family, String component) {
        String prefix = componentPrefix(family, component);
        String manifestSuffix = "/" + Manifest.FILE_NAME;
        return blobs.list(prefix).stream()
                .map(key -> key.substring(prefix.length()))
                .filter(rest -> rest.endsWith(manifestSuffix) && rest.indexOf('/') == rest.lastIndexOf('/'))
                .map(rest -> rest.substring(0, rest.length() - manifestSuffix.length()))
                .sorted()
                .toList();
    }

    /**
     * @throws ModelNotFoundException naming the published versions if {@code ref} has no manifest
     * @throws ModelIntegrityException if the stored manifest is unreadable or describes a different version
     */
    public Manifest manifest(ModelRef ref) {
        byte[] json = blobs.getBytes(manifestKey(ref)).orElseThrow(() -> new ModelNotFoundException(
                "no version " + ref.version() + " of " + ref.family() + "/" + ref.component()
                        + " in " + blobs + "; published versions: " + versions(ref.family(), ref.component())));
        Manifest manifest = parse(ref, json);
        if (!manifest.ref().equals(ref)) {
            throw new ModelIntegrityException("manifest stored for " + ref + " describes " + manifest.ref());
        }
        return manifest;
    }

    /**
     * Streams one file of a published version; the caller closes the stream and must verify its hash.
     *
     * @throws ModelNotFoundException if the file is missing from the store
     */
    public InputStream openFile(ModelRef ref, String name) {
        try {
            return blobs.open(fileKey(ref, name));
        } catch (BlobNotFoundException e) {
            throw new ModelNotFoundException("file '" + name + "' of " + ref + " is missing from " + blobs, e);
        }
    }

    private static Manifest parse(ModelRef ref, byte[] json) {
        try {
            return Manifest.read(json);
        } catch (IllegalArgumentException e) {
            throw new ModelIntegrityException("manifest of " + ref + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static void requireMatchingFiles(Manifest manifest, Map<String, Path> files) {
        if (!files.keySet().equals(manifest.files().keySet())) {
            throw new IllegalArgumentException("files " + files.keySet() + " do not match the manifest's "
                    + manifest.files().keySet() + " for " + manifest.ref());
        }
        manifest.files().forEach((name, expected) -> {
            String actual = Sha256.of(files.get(name));
            if (!actual.equals(expected)) {
                throw ModelIntegrityException.hashMismatch(manifest.ref(), name, "local file " + files.get(name),
                        expected, actual);
            }
        });
    }

    static String fileKey(ModelRef ref, String name) {
        return versionPrefix(ref) + ModelRef.requireSegment("file name", name);
    }

    static String manifestKey(ModelRef ref) {
        return versionPrefix(ref) + Manifest.FILE_NAME;
    }

    static String latestKey(String family, String component) {
        return componentPrefix(family, component) + LATEST;
    }

    private static String versionPrefix(ModelRef ref) {
        return componentPrefix(ref.family(), ref.component()) + ref.version() + "/";
    }

    private static String componentPrefix(String family, String component) {
        return ModelRef.requireSegment("family", family) + "/" + ModelRef.requireSegment("component", component)
                + "/";
    }
}
