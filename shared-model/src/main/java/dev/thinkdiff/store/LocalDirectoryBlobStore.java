package dev.thinkdiff.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps each key as a file under a root directory ({@code a/b/c} → {@code root/a/b/c}).
 * Writes land in a hidden temp file beside the target and are renamed into place, so readers never see partial files.
 */
public final class LocalDirectoryBlobStore implements BlobStore {

    /** Key segments starting with this are in-flight writes and never listed; keys may not use it. */
    private static final String TEMP_PREFIX = ".";

    private final Path root;

    public LocalDirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, Path file) {
        writeAtomically(key, temp -> Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void put(String key, byte[] bytes) {
        writeAtomically(key, temp -> Files.write(temp, bytes));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read '" + key + "' under " + root, e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open '" + key + "' under " + root, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    /** Also removes the directories the deletion leaves empty, up to the root. */
    @Override
    public void delete(String key) {
        Path path = resolve(key);
        try {
            Files.deleteIfExists(path);
            for (Path dir = path.getParent(); !dir.equals(root) && isEmptyDirectory(dir); dir = dir.getParent()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete '" + key + "' under " + root, e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    @Override
    public List<String> list(String prefix) {
        // Only the deepest directory the prefix fully names needs walking.
        int lastSlash = prefix.lastIndexOf('/');
        Path start = lastSlash < 0 ? root : resolve(prefix.substring(0, lastSlash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(start)) {
            return paths.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/"))
                    .filter(key -> key.startsWith(prefix) && !isTemp(key))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list '" + prefix + "' under " + root, e);
        }
    }

    private void writeAtomically(String key, Writer writer) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX + target.getFileName(), ".part");
            try {
                writer.write(temp);
                if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    // temp files are created owner-only; a store is read by other users and services
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write '" + key + "' under " + root, e);
        }
    }

    private Path resolve(String key) {
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals("..") || segment.startsWith(TEMP_PREFIX)) {
                throw new IllegalArgumentException("invalid key '" + key + "': empty, '..' or hidden segment");
            }
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("key '" + key + "' escapes the store root");
        }
        return path;
    }

    private static boolean isTemp(String key) {
        return key.startsWith(TEMP_PREFIX) || key.contains("/" + TEMP_PREFIX);
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path temp) throws IOException;
    }

    @Override
    public String toString() {
        return "LocalDirectoryBlobStore[" + root + "]";
    }
}
