package dev.thinkdiff.job;

import dev.thinkdiff.store.Manifest;
import dev.thinkdiff.store.ModelStore;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a finished run directory to the configured model store (files first, LATEST last).")
public class PublishCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "Run directory of a finished `train --no-publish`.")
    Path runDir;

    @Inject
    ModelStore store;

    @Override
    public Integer call() throws Exception {
        Manifest manifest = Publisher.publishDraft(store, runDir);
        System.out.println("published " + manifest.ref());
        return 0;
    }
}
