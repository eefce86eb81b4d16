package dev.thinkdiff.job;

import dev.thinkdiff.store.BlobStore;
import dev.thinkdiff.store.BlobStores;
import dev.thinkdiff.store.StoreConfig;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cobsat-aggregate", mixinStandardHelpOptions = true,
        description = "Merge the shards of a sharded `evaluate cobsat` run into its report (tables.md, report.json; "
                + "no gallery), refusing shards that are missing, of another run, or with missing or repeated "
                + "outcomes.")
public class CobsatAggregateCommand implements Callable<Integer> {

    @Option(names = "--results", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "Where the shards wrote their results (their --results).")
    String results;

    @Option(names = "--out", defaultValue = "out/cobsat", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Inject
    StoreConfig storeConfig;

    @Override
    public Integer call() throws Exception {
        CobsatShards.Run run;
        try (BlobStore location = BlobStores.location(results, storeConfig.s3())) {
            run = CobsatShards.merge(location, results);
        }
        CobsatReport.write(run.result(), run.settings(), run.models(), out);
        return 0;
    }
}
