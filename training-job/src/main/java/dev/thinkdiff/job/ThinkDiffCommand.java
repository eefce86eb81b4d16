package dev.thinkdiff.job;

import dev.thinkdiff.engine.DjlRuntime;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The training job's command line: world tools, training, evaluation and publishing of the pocket family. */
@TopCommand
@Command(name = "thinkdiff", mixinStandardHelpOptions = true,
        description = "ThinkDiff training job: render the CoBSAT world, train, evaluate and publish models.",
        subcommands = {DemoCommand.class, SheetCommand.class, ExportCommand.class, PromptCommand.class,
            RenderBenchmarkCommand.class, DiffusionBenchmarkCommand.class, BatchingBenchmarkCommand.class,
            FunctionBenchmarkCommand.class, ServeCommand.class, PlaygroundCommand.class, TrainCommand.class,
            TrainAllCommand.class, EvaluateCommand.class, PublishCommand.class})
public class ThinkDiffCommand {

    static {
        DjlRuntime.configure();
    }
}
