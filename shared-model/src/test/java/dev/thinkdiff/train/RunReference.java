package dev.thinkdiff.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thinkdiff.store.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/**
 * What a tiny training run must reproduce bit for bit: the SHA-256 of its parameters and its metrics, as recorded
 * from the code before a change. libtorch's CPU kernels pick their vector path by CPU (vendor, AVX-512 or AVX2), and
 * sums in another order give other bits, so a reference holds for the CPU kind it was recorded on: a run on a kind
 * with a reference must match it exactly; on a kind without one the comparison is skipped (reported as an aborted
 * assumption, with the values to record), never passed.
 */
public final class RunReference {

    /** One recording: on which CPU kind, from which commit, the values. */
    public record Recorded(String cpu, String commit, Map<String, Object> values) {
    }

    private RunReference() {
    }

    /** This machine's CPU kind, e.g. {@code AuthenticAMD/avx512}. */
    public static String cpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String vendor = field(lines, "vendor_id");
            Set<String> flags = Set.of(field(lines, "flags").split(" "));
            return vendor + "/" + (flags.contains("avx512f") ? "avx512" : flags.contains("avx2") ? "avx2" : "other");
        } catch (IOException e) {
            return System.getProperty("os.arch") + "/unknown";
        }
    }

    /** The values a run is compared by: its parameter file's SHA-256 and the given metrics. */
    public static Map<String, Object> values(Path parameters, Map<String, ?> metrics) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("sha256", Sha256.of(Files.readAllBytes(parameters)));
        values.putAll(new TreeMap<>(metrics));
        return values;
    }

    /** Asserts {@code actual} equals the recording for this CPU kind (skipped where none was made). */
    public static void assertReproduces(Map<String, Object> actual, Recorded... recordings) {
        String cpu = cpu();
        for (Recorded recorded : recordings) {
            if (recorded.cpu().equals(cpu)) {
                assertEquals(recorded.values(), actual, "recorded on " + cpu + " from commit " + recorded.commit());
                return;
            }
        }
        Assumptions.abort("no reference recorded on " + cpu + "; this run gave " + actual);
    }

    private static String field(List<String> lines, String name) {
        return lines.stream().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("");
    }
}
