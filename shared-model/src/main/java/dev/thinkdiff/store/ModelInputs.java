package dev.thinkdiff.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models a component is trained or used against, resolved one way for every caller: when training, the family's
 * LATEST version of each; when evaluating or serving a published version, the versions its manifest's {@code inputs}
 * pin (a model reads the features of the exact models it was trained against). What it resolved is what
 * {@link #record} writes into the new manifest.
 */
public final class ModelInputs {

    private final ModelCache models;
    private final String family;
    /** The manifest whose inputs are pinned, or null when resolving the latest versions. */
    private final Manifest pinnedBy;
    private final Map<String, String> resolved = new LinkedHashMap<>();

    private ModelInputs(ModelCache models, String family, Manifest pinnedBy) {
        this.models = models;
        this.family = family;
        this.pinnedBy = pinnedBy;
    }

    /** For a training: each input is the family's LATEST version. */
    public static ModelInputs latest(ModelCache models, String family) {
        return new ModelInputs(models, family, null);
    }

    /** For evaluating or serving {@code model}: each input is the version its manifest names. */
    public static ModelInputs pinned(ModelCache models, LoadedModel model) {
        return new ModelInputs(models, model.ref().family(), model.manifest());
    }

    /**
     * The input {@code component}.
     *
     * @throws IllegalStateException if pinned and the manifest does not name the component
     */
    public LoadedModel fetch(String component) {
        if (pinnedBy == null) {
            return remember(models.fetchLatest(family, component));
        }
        return remember(models.fetch(new ModelRef(family, component, pinned(pinnedBy, component))));
    }

    /**
     * The input {@code component} as {@code upstream} (an input resolved before) was trained against: when training,
     * the version {@code upstream}'s manifest names, not merely the newest; when pinned, the version this manifest
     * names (which recorded the same).
     */
    public LoadedModel fetchAsTrainedBy(LoadedModel upstream, String component) {
        Manifest names = pinnedBy == null ? upstream.manifest() : pinnedBy;
        return remember(models.fetch(new ModelRef(family, component, pinned(names, component))));
    }

    /** Records every input resolved so far into {@code manifest}. */
    public Manifest.Builder record(Manifest.Builder manifest) {
        resolved.forEach(manifest::input);
        return manifest;
    }

    /** The versions resolved so far, by component, in the order they were fetched. */
    public Map<String, String> versions() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(resolved));
    }

    private LoadedModel remember(LoadedModel model) {
        resolved.put(model.ref().component(), model.ref().version());
        return model;
    }

    private static String pinned(Manifest manifest, String component) {
        String version = manifest.inputs().get(component);
        if (version == null) {
            throw new IllegalStateException(manifest.ref() + " does not name the " + component
                    + " it was trained against");
        }
        return version;
    }
}
