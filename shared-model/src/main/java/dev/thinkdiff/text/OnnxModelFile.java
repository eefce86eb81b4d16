package dev.thinkdiff.text;

import dev.thinkdiff.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * An ONNX model shipped as a classpath resource, extracted once to a cache directory beside its SHA-256. The prompt
 * encoder's file is 90 MB stored deflated in its jar: inflating and hashing it cost every start about 1.3 s of CPU
 * (here, beside a 1.3 s ONNX Runtime session), which a cold function pays. A start now maps the extracted file and
 * checks it against the jar entry's size and CRC-32, which the jar's directory holds (no inflating; ~20 ms), before it
 * trusts the recorded hash; a file that does not match is extracted again. Where the resource is not in a jar or the
 * cache cannot be written, the bytes are read and hashed in memory, as before.
 *
 * @param bytes  the model (mapped from {@code file}, or in memory)
 * @param file   the extracted file ONNX Runtime can read itself, or null (in memory only)
 * @param sha256 the model's SHA-256, hex
 */
record OnnxModelFile(ByteBuffer bytes, Path file, String sha256) {

    private static final String HASH_SUFFIX = ".sha256";

    /** {@code resource} from the classpath, through {@code cacheDir}. */
    static OnnxModelFile open(String resource, Path cacheDir) {
        URL url = OnnxModelFile.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath");
        }
        String location = url.toString();
        int separator = location.indexOf("!/");
        if (!location.startsWith("jar:file:") || separator < 0) {
            return inMemory(resource);
        }
        Path jarPath = Path.of(URLDecoder.decode(location.substring("jar:file:".length(), separator),
                StandardCharsets.UTF_8));
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            ZipEntry entry = jar.getEntry(resource);
            if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) {
                return inMemory(resource);
            }
            // one directory per content: another artifact version never reads this one's file
            Path dir = cacheDir.resolve(HexFormat.of().toHexDigits((int) entry.getCrc()) + "-" + entry.getSize());
            Path file = dir.resolve(Path.of(resource).getFileName().toString());
            Path hash = dir.resolve(file.getFileName() + HASH_SUFFIX);
            OnnxModelFile cached = cached(file, hash, entry);
            if (cached != null) {
                return cached;
            }
            byte[] bytes;
            try (InputStream in = jar.getInputStream(entry)) {
                bytes = in.readAllBytes();
            }
            String sha256 = Sha256.of(bytes);
            return extract(bytes, sha256, file, hash);
        } catch (IOException e) {
            return inMemory(resource);
        }
    }

    /** The extracted file if it is the jar entry's content (size and CRC-32) and its hash was recorded; else null. */
    private static OnnxModelFile cached(Path file, Path hash, ZipEntry entry) {
        try {
            if (!Files.isRegularFile(file) || !Files.isRegularFile(hash) || Files.size(file) != entry.getSize()) {
                return null;
            }
            ByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(file)) {
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            }
            CRC32 crc = new CRC32();
            crc.update(mapped.duplicate());
            String sha256 = Files.readString(hash).trim();
            return crc.getValue() == entry.getCrc() && sha256.length() == 64
                    ? new OnnxModelFile(mapped, file, sha256) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes the file, then its hash (each through a temporary file and a move): no hash, no trusted file. */
    private static OnnxModelFile extract(byte[] bytes, String sha256, Path file, Path hash) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(hash);
            Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
            Files.write(partial, bytes);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path partialHash = Files.createTempFile(file.getParent(), hash.getFileName().toString(), ".partial");
            Files.writeString(partialHash, sha256);
            Files.move(partialHash, hash, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new OnnxModelFile(ByteBuffer.wrap(bytes), file, sha256);
        } catch (IOException | UnsupportedOperationException e) {
            return new OnnxModelFile(ByteBuffer.wrap(bytes), null, sha256);
        }
    }

    private static OnnxModelFile inMemory(String resource) {
        try (InputStream in = MiniLmPromptEncoder.resource(resource)) {
            byte[] bytes = in.readAllBytes();
            return new OnnxModelFile(ByteBuffer.wrap(bytes), null, Sha256.of(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
