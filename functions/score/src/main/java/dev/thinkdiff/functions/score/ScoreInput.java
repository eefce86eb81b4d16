package dev.thinkdiff.functions.score;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.serving.CobsatInputs;
import dev.thinkdiff.serving.Fields;
import dev.thinkdiff.serving.ImageInput;
import dev.thinkdiff.serving.ServingConfig;
import java.awt.image.BufferedImage;

/** A score request, validated: the task, the cell the image should show and the decoded image. */
record ScoreInput(Task task, Cell expected, BufferedImage image) {

    static ScoreInput bind(ScoreRequest request, ServingConfig.Limits limits) {
        Fields.required("body", request);
        Task task = CobsatInputs.task("task", request.task());
        Fields.exactlyOne("expected|prompt", request.expected(), request.prompt());
        Cell expected = request.expected() != null
                ? CobsatInputs.cell("expected", task, request.expected().x(), request.expected().theta())
                : CobsatInputs.episode("prompt", task, request.prompt().index(), request.prompt().shots(),
                        request.prompt().split(), limits.shots()).expected();
        return new ScoreInput(task, expected, ImageInput.decode("image", request.image(), limits));
    }
}
