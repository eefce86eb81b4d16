package dev.thinkdiff.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Describes one published component version: how to rebuild the network ({@code config}), how it was trained
 * ({@code seed}, {@code steps}, {@code inputs}: component → version trained against), how well it did
 * ({@code metrics}) and which files make it up ({@code files}: name → lowercase hex SHA-256).
 * Stored as {@code manifest.json} next to the files; its JSON has a stable key order so equal manifests are equal bytes.
 */
@JsonPropertyOrder({"family", "component", "version", "created", "config", "seed", "steps", "metrics", "files",
        "inputs"})
public record Manifest(String family, String component, String version, String created, Map<String, Object> config,
                       long seed, long steps, Map<String, Double> metrics, Map<String, String> files,
                       Map<String, String> inputs) {

    /** The name under which the manifest itself is stored, so no model file may use it. */
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // Manifests written by newer code may carry fields this reader does not know yet.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public Manifest {
        new ModelRef(family, component, version);
        requireIsoTimestamp(created);
        config = sortedCopy(config);
        metrics = sortedCopy(metrics);
        files = sortedCopy(files);
        inputs = sortedCopy(inputs);
        files.forEach(Manifest::requireValidFile);
    }

    public static Builder builder(ModelRef ref) {
        return new Builder(ref);
    }

    public static Manifest read(byte[] json) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid manifest: " + e.getMessage(), e);
        }
    }

    public static Manifest read(InputStream json) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid manifest: " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("manifest config holds a value JSON cannot represent", e);
        }
    }

    @JsonIgnore
    public ModelRef ref() {
        return new ModelRef(family, component, version);
    }

    private static void requireIsoTimestamp(String created) {
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(created);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("created must be an ISO-8601 timestamp, got " + created, e);
        }
    }

    private static void requireValidFile(String name, String sha256) {
        ModelRef.requireSegment("file name", name);
        if (name.equals(FILE_NAME)) {
            throw new IllegalArgumentException("a model file may not be called " + FILE_NAME);
        }
        if (!Sha256.isHexDigest(sha256)) {
            throw new IllegalArgumentException("file '" + name + "' needs a lowercase hex SHA-256, got " + sha256);
        }
    }

    private static <V> SortedMap<String, V> sortedCopy(Map<String, V> map) {
        return map == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** Builds a manifest for files on local disk, hashing them. */
    public static final class Builder {

        private final ModelRef ref;
        private String created = Instant.now().toString();
        private final Map<String, Object> config = new LinkedHashMap<>();
        private long seed;
        private long steps;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, String> files = new LinkedHashMap<>();
        private final Map<String, String> inputs = new LinkedHashMap<>();

        private Builder(ModelRef ref) {
            this.ref = ref;
        }

        public Builder created(Instant instant) {
            this.created = instant.toString();
            return this;
        }

        public Builder config(String key, Object value) {
            config.put(key, value);
            return this;
        }

        public Builder config(Map<String, ?> values) {
            config.putAll(values);
            return this;
        }

        /** What every training run records: its config, seed, steps done and final metrics. */
        public Builder training(Map<String, ?> values, long seed, long steps, Map<String, Double> finalMetrics) {
            config.putAll(values);
            this.seed = seed;
            this.steps = steps;
            metrics.putAll(finalMetrics);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder steps(long steps) {
            this.steps = steps;
            return this;
        }

        public Builder metric(String name, double value) {
            metrics.put(name, value);
            return this;
        }

        public Builder input(String component, String version) {
            inputs.put(component, version);
            return this;
        }

        /** Adds a file under {@code name}, recording the SHA-256 of its current bytes. */
        public Builder file(String name, Path file) {
            files.put(name, Sha256.of(file));
            return this;
        }

        public Builder files(Map<String, Path> namedFiles) {
            namedFiles.forEach(this::file);
            return this;
        }

        public Manifest build() {
            return new Manifest(ref.family(), ref.component(), ref.version(), created, config, seed, steps, metrics,
                    files, inputs);
        }
    }
}
