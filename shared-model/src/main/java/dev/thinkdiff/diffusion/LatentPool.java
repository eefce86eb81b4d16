package dev.thinkdiff.diffusion;

import dev.thinkdiff.world.SeedRange;
import dev.thinkdiff.world.WorldRenderer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scaled autoencoder latents of {@code seedsPerCell} {@link SeedRange#MODEL_TRAINING} renders of every cell, encoded
 * once (a frozen encoder would otherwise redo the same work every step) and cached in the run directory. Rendering
 * runs on a background thread while the previous chunk is encoded.
 */
final class LatentPool {

    static final String CACHE_FILE = "latents.bin";

    private static final int MAGIC = 0x54444c31; // "TDL1"
    private static final int CHUNK = 250;

    private final int seedsPerCell;
    private final int floatsPerImage;
    private final float[] latents;

    private LatentPool(int seedsPerCell, int floatsPerImage, float[] latents) {
        this.seedsPerCell = seedsPerCell;
        this.floatsPerImage = floatsPerImage;
        this.latents = latents;
    }

    /** Render seed offset of (cell, k): every cell gets its own seeds, disjoint from other pools' ranges. */
    static long seedOffset(int cellIndex, int k, int seedsPerCell) {
        return (long) cellIndex * seedsPerCell + k;
    }

    static LatentPool build(ImageAutoencoder autoencoder, int seedsPerCell, Path cacheFile)
            throws IOException, InterruptedException, ExecutionException {
        int perImage = autoencoder.config().latentFloats();
        int images = AutoencoderEvaluation.CELLS * seedsPerCell;
        if (Files.exists(cacheFile)) {
            LatentPool cached = read(cacheFile, autoencoder.version(), images, perImage, seedsPerCell);
            if (cached != null) {
                return cached;
            }
        }
        float[] latents = new float[images * perImage];
        ExecutorService renderThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "latent-pool-render");
            thread.setDaemon(true);
            return thread;
        });
        try {
            WorldRenderer renderer = new WorldRenderer();
            Future<List<int[]>> next = renderThread.submit(() -> render(renderer, 0, images, seedsPerCell));
            for (int from = 0; from < images; from += CHUNK) {
                List<int[]> chunk = next.get();
                int following = from + CHUNK;
                if (following < images) {
                    next = renderThread.submit(() -> render(renderer, following, images, seedsPerCell));
                }
                float[] encoded = autoencoder.encode(chunk);
                System.arraycopy(encoded, 0, latents, from * perImage, encoded.length);
            }
        } finally {
            renderThread.shutdownNow();
        }
        LatentPool pool = new LatentPool(seedsPerCell, perImage, latents);
        pool.write(cacheFile, autoencoder.version());
        return pool;
    }

    /** Images {@code from .. from+CHUNK-1}; image j shows cell j / seedsPerCell. */
    private static List<int[]> render(WorldRenderer renderer, int from, int images, int seedsPerCell) {
        List<int[]> chunk = new ArrayList<>();
        for (int j = from; j < Math.min(images, from + CHUNK); j++) {
            int cell = j / seedsPerCell;
            long seed = SeedRange.MODEL_TRAINING.seed(seedOffset(cell, j % seedsPerCell, seedsPerCell));
            chunk.add(renderer.renderPixels(AutoencoderEvaluation.cellOf(cell), seed).clone());
        }
        return chunk;
    }

    int seedsPerCell() {
        return seedsPerCell;
    }

    /** Copies latent k of cell {@code cellIndex} into {@code out} at example {@code i}. */
    void copy(int cellIndex, int k, float[] out, int i) {
        System.arraycopy(latents, (cellIndex * seedsPerCell + k) * floatsPerImage, out, i * floatsPerImage,
                floatsPerImage);
    }

    private void write(Path file, String version) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeInt(MAGIC);
            out.writeUTF(version);
            out.writeInt(seedsPerCell);
            out.writeInt(floatsPerImage);
            out.writeInt(latents.length);
            for (float value : latents) {
                out.writeFloat(value);
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static LatentPool read(Path file, String version, int images, int perImage, int seedsPerCell)
            throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(version) || in.readInt() != seedsPerCell
                    || in.readInt() != perImage || in.readInt() != images * perImage) {
                return null;
            }
            float[] latents = new float[images * perImage];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = in.readFloat();
            }
            return new LatentPool(seedsPerCell, perImage, latents);
        }
    }
}
