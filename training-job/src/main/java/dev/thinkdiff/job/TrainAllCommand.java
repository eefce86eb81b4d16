package dev.thinkdiff.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.thinkdiff.store.Components;
import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelRef;
import dev.thinkdiff.store.ModelStore;
import dev.thinkdiff.store.Sha256;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-all", mixinStandardHelpOptions = true,
        description = "Train the whole pocket family in dependency order (judge; llm-decoder, vlm; autoencoder, "
                + "diffusion; aligner and its published variants), skipping each component whose published LATEST "
                + "already has the requested config and inputs, then print a summary table.")
public class TrainAllCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(TrainAllCommand.class);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    @Option(names = "--set", description = "Override one component's setting, component.key=value (repeatable), "
            + "e.g. judge.steps=1200 or aligner-noise.noise=0.3.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print what would be trained and why; train nothing.")
    boolean dryRun;

    @Option(names = "--runs", description = "Parent of the local run directories (default: runs).")
    Path runsDir = Path.of("runs");

    @Inject
    Trainer trainer;

    @Inject
    ModelStore store;

    /** One component to bring up to date, published under {@code name}, with its settings before overrides. */
    private record Target(String name, TrainableComponent trainable, Map<String, Object> defaults) {
    }

    private record Row(String component, String version, String action, String metrics, String wallTime) {
    }

    @Override
    public Integer call() throws Exception {
        List<Target> targets = targets();
        Map<String, List<String>> overridesByComponent = overridesByComponent(targets);
        List<Row> rows = new ArrayList<>();
        Set<String> retrained = new HashSet<>();
        for (Target target : targets) {
            Map<String, Object> settings = trainer.settings(target.name(), target.trainable(), target.defaults(),
                    overridesByComponent.getOrDefault(target.name(), List.of()));
            Map<String, String> inputs = new LinkedHashMap<>();
            target.trainable().inputs().forEach(input -> inputs.put(input, latest(input).map(Manifest::version)
                    .orElse("none")));
            Optional<Manifest> published = latest(target.name());
            Optional<String> reason = reasonToTrain(target.trainable(), settings, inputs, published, retrained);
            if (reason.isEmpty()) {
                Manifest manifest = published.orElseThrow();
                rows.add(new Row(target.name(), manifest.version(), "skipped", keyMetrics(target, manifest), "-"));
                continue;
            }
            retrained.add(target.name());
            if (dryRun) {
                rows.add(new Row(target.name(), "-", "would train: " + reason.get(), "", "-"));
                continue;
            }
            // The run id is a function of what is trained, so a train-all stopped mid-component resumes it.
            String runId = target.name() + "-" + Sha256.of(json(List.of(settings, inputs))
                    .getBytes(StandardCharsets.UTF_8)).substring(0, 12);
            LOG.infof("train-all: %s: %s", target.name(), reason.get());
            Optional<Trainer.Outcome> outcome = trainer.train(new Trainer.Run(target.trainable(), target.name(),
                    settings, runsDir.resolve(runId), runId, true), true);
            if (outcome.isEmpty()) {
                print(rows);
                return TrainCommand.STOPPED;
            }
            Manifest manifest = outcome.get().manifest();
            rows.add(new Row(target.name(), manifest.version(), "trained: " + reason.get(),
                    keyMetrics(target, manifest), String.format("%.0f s", outcome.get().wallSeconds())));
        }
        print(rows);
        return 0;
    }

    /**
     * The family in dependency order ({@link TrainableComponent#all()}) at the settings each asks for, then the
     * published aligner variants.
     */
    private List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        TrainableComponent.all().forEach(c -> targets.add(new Target(c.name(), c, c.requestedSettings(latest(c.name())))));
        TrainableComponent aligner = TrainableComponent.byName(Components.ALIGNER);
        for (String variant : AlignerComponent.publishedVariants(store)) {
            String name = AlignerComponent.variantComponent(variant);
            // a variant is defined by the settings it was published with
            targets.add(new Target(name, aligner, aligner.asRun(latest(name).orElseThrow().config())));
        }
        return targets;
    }

    /** Why the component must be trained, or empty if its published LATEST already is what is asked for. */
    private static Optional<String> reasonToTrain(TrainableComponent trainable, Map<String, Object> settings,
            Map<String, String> inputs, Optional<Manifest> published, Set<String> retrained) {
        if (published.isEmpty()) {
            return Optional.of("nothing published");
        }
        Map<String, Object> config = trainable.asRun(published.get().config());
        String changed = Stream.concat(settings.keySet().stream(), config.keySet().stream())
                .collect(Collectors.toCollection(TreeSet::new)).stream()
                .filter(key -> !trainable.evaluationSettings().contains(key))
                .filter(key -> !json(settings.get(key)).equals(json(config.get(key))))
                .map(key -> key + " " + json(config.get(key)) + " -> " + json(settings.get(key)))
                .collect(Collectors.joining(", "));
        if (!changed.isEmpty()) {
            return Optional.of(changed);
        }
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            String used = published.get().inputs().get(input.getKey());
            if (retrained.contains(input.getKey()) || !Objects.equals(used, input.getValue())) {
                return Optional.of("input " + input.getKey() + " retrained");
            }
        }
        return Optional.empty();
    }

    /** {@code --set component.key=value} grouped by component; an unknown component is refused. */
    private Map<String, List<String>> overridesByComponent(List<Target> targets) {
        Set<String> names = targets.stream().map(Target::name).collect(Collectors.toCollection(TreeSet::new));
        Map<String, List<String>> byComponent = new LinkedHashMap<>();
        for (String override : overrides) {
            int dot = override.indexOf('.');
            String component = dot < 0 ? "" : override.substring(0, dot);
            if (!names.contains(component)) {
                throw new IllegalArgumentException("--set expects component.key=value with a component of " + names
                        + ", got '" + override + "'");
            }
            byComponent.computeIfAbsent(component, c -> new ArrayList<>()).add(override.substring(dot + 1));
        }
        return byComponent;
    }

    private Optional<Manifest> latest(String component) {
        return store.latest(Components.FAMILY, component)
                .map(version -> store.manifest(new ModelRef(Components.FAMILY, component, version)));
    }

    private static String keyMetrics(Target target, Manifest manifest) {
        return target.trainable().keyMetrics().stream().filter(manifest.metrics()::containsKey)
                .map(name -> String.format("%s %.3f", name, manifest.metrics().get(name)))
                .collect(Collectors.joining(", "));
    }

    private static void print(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"component", "version", "action", "key metrics", "wall time"});
        rows.forEach(row -> cells.add(new String[] {row.component(), row.version(), row.action(), row.metrics(),
            row.wallTime()}));
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder("|");
            for (int i = 0; i < line.length; i++) {
                text.append(' ').append(String.format("%-" + widths[i] + "s", line[i])).append(" |");
            }
            System.out.println(text);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
