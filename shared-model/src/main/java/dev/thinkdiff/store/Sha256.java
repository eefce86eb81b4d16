package dev.thinkdiff.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as lowercase hex, the form used in manifests and cache file names. */
public final class Sha256 {

    private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {
    }

    static boolean isHexDigest(String value) {
        return value != null && HEX_DIGEST.matcher(value).matches();
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    static String of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return copyAndHash(in, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        }
    }

    /** Copies {@code in} to {@code out} and returns the digest of the bytes copied, so data is read only once. */
    static String copyAndHash(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        try (DigestOutputStream hashing = new DigestOutputStream(out, digest)) {
            in.transferTo(hashing);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE must provide SHA-256", e);
        }
    }
}
