package dev.thinkdiff.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thinkdiff.cobsat.Episode;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.pipeline.CobsatPlan.Settings;
import dev.thinkdiff.pipeline.CobsatPlan.Shard;
import dev.thinkdiff.pipeline.CobsatPlan;
import dev.thinkdiff.pipeline.CobsatResult;
import dev.thinkdiff.store.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A sharded CoBSAT run's results in one location (a local directory or {@code s3://bucket/prefix}): one object per
 * shard, {@code shard-0003-of-0008.json}, written whole, so a retried shard replaces its own object and nothing else.
 * {@link #merge} reads them back and checks that they make one complete run.
 */
final class CobsatShards {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final Pattern NAME = Pattern.compile("shard-(\\d{4,})-of-(\\d{4,})\\.json");

    /** What one shard object holds: who wrote it, with which settings and models, and its units' outcomes. */
    record ShardFile(int shardIndex, int shardCount, Settings settings, List<String> methods,
                     Map<String, String> models, double seconds, List<CobsatResult.ControlOutcome> control,
                     List<EpisodeVerdicts> episodes) {
    }

    /** One episode: the VLM's answer and, per method, the judge's two answers (attribute option, subject option). */
    record EpisodeVerdicts(int shots, Task task, int prompt, String answer, Map<String, int[]> judge) {
    }

    /** A whole run put back together from its shards. */
    record Run(Settings settings, Map<String, String> models, CobsatResult result) {
    }

    private CobsatShards() {
    }

    static String name(Shard shard) {
        return String.format(Locale.ROOT, "shard-%04d-of-%04d.json", shard.index(), shard.count());
    }

    /** Writes the shard's object (replacing the one a previous attempt of the same shard wrote). */
    static void write(BlobStore location, Shard shard, Settings settings, List<String> methods,
            Map<String, String> models, CobsatResult result) {
        List<EpisodeVerdicts> episodes = new ArrayList<>();
        for (CobsatResult.EpisodeOutcome outcome : result.episodes()) {
            Map<String, int[]> judge = new LinkedHashMap<>();
            outcome.verdicts().forEach((method, verdict) -> judge.put(method,
                    new int[] {verdict.attributeAnswer(), verdict.subjectAnswer()}));
            episodes.add(new EpisodeVerdicts(outcome.shots(), outcome.task(), outcome.promptIndex(), outcome.answer(),
                    judge));
        }
        try {
            location.put(name(shard), JSON.writeValueAsBytes(new ShardFile(shard.index(), shard.count(), settings,
                    methods, models, result.seconds(), result.control(), episodes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads every shard object in {@code location} and merges them into the run they are shards of.
     *
     * @param where the location as the user named it, for messages
     * @throws IllegalArgumentException naming what is wrong: no shards, shards of runs with different shard counts,
     *     missing shards, shards that ran with other settings or models, missing or repeated outcomes
     */
    static Run merge(BlobStore location, String where) {
        Set<Integer> counts = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (String key : location.list("")) {
            Matcher m = NAME.matcher(key);
            if (m.matches()) {
                names.add(key);
                counts.add(Integer.parseInt(m.group(2)));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no shard results (shard-NNNN-of-NNNN.json) in " + where);
        }
        if (counts.size() > 1) {
            throw new IllegalArgumentException("shards of runs with different shard counts " + counts + " in " + where
                    + "; give each run its own --results location");
        }
        int count = counts.iterator().next();
        List<String> missing = IntStream.range(0, count).mapToObj(i -> name(new Shard(i, count)))
                .filter(name -> !names.contains(name)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " of " + count + " shards missing in " + where + ": "
                    + String.join(", ", missing) + "; run them again (--shard-index I --shard-count " + count + ")");
        }
        ShardFile first = null;
        List<CobsatResult> results = new ArrayList<>();
        for (String name : names) {
            ShardFile shard = read(location, name);
            if (!name.equals(name(new Shard(shard.shardIndex(), shard.shardCount())))) {
                throw new IllegalArgumentException(name + " holds the results of shard " + shard.shardIndex() + " of "
                        + shard.shardCount());
            }
            if (first == null) {
                first = shard;
            } else if (!first.settings().equals(shard.settings()) || !first.methods().equals(shard.methods())
                    || !first.models().equals(shard.models())) {
                throw new IllegalArgumentException(name + " ran with other settings, methods or models than "
                        + names.iterator().next() + ": " + shard.settings() + " " + shard.methods() + " "
                        + shard.models() + " vs " + first.settings() + " " + first.methods() + " " + first.models());
            }
            results.add(result(shard));
        }
        return new Run(first.settings(), first.models(), CobsatPlan.merge(first.settings(), results));
    }

    private static ShardFile read(BlobStore location, String name) {
        try {
            return JSON.readValue(location.getBytes(name).orElseThrow(), ShardFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** The shard's outcomes, each verdict scored again against its episode's expected cell. */
    private static CobsatResult result(ShardFile shard) {
        List<CobsatResult.EpisodeOutcome> episodes = new ArrayList<>();
        for (EpisodeVerdicts episode : shard.episodes()) {
            Episode prompt = Episode.of(episode.task(), episode.shots(), episode.prompt(), shard.settings().split());
            Map<String, Judgement> verdicts = new LinkedHashMap<>();
            episode.judge().forEach((method, answers) -> verdicts.put(method,
                    Judgement.of(episode.task(), prompt.expected(), answers[0], answers[1])));
            episodes.add(new CobsatResult.EpisodeOutcome(episode.shots(), episode.task(), episode.prompt(),
                    episode.answer(), verdicts));
        }
        return new CobsatResult(shard.control(), episodes, List.of(), shard.seconds());
    }
}
