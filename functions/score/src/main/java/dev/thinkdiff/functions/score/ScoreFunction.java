package dev.thinkdiff.functions.score;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.JudgeQuestion;
import dev.thinkdiff.cobsat.Judgement;
import dev.thinkdiff.cobsat.Task;
import dev.thinkdiff.functions.core.FunctionHttp;
import dev.thinkdiff.judge.JudgeAnswer;
import dev.thinkdiff.serving.StageTimings;
import dev.thinkdiff.store.Components;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;

/** {@code POST /score}: the CoBSAT judge's two answers about one image, scored as the benchmark scores them. */
public class ScoreFunction {

    private static final Logger LOG = Logger.getLogger(ScoreFunction.class);

    @Inject
    ScoreModels models;

    @Inject
    CurrentVertxRequest http;

    @Funq("score")
    public ScoreResponse score(ScoreRequest request) {
        String requestId = FunctionHttp.requestId(http.getCurrent());
        StageTimings timings = new StageTimings(models::recordStage);
        ScoreInput input = timings.time("decode-image", () -> ScoreInput.bind(request, models.serving().limits()));
        ScoreModels.Served judge = models.served();
        JudgeAnswer answer = timings.batched(() -> models.answer(input));
        Cell expected = input.expected();
        Judgement verdict = Judgement.of(input.task(), expected, answer.attributeOption(), answer.subjectOption());
        ScoreResponse response = new ScoreResponse(requestId, input.task().column(), describe(input.task(), expected),
                answer(JudgeQuestion.ATTRIBUTE, expected, answer), answer(JudgeQuestion.SUBJECT, expected, answer),
                verdict.textual(), verdict.visual(), verdict.correct(), Map.of(Components.JUDGE, judge.version()),
                timings.millis(), timings.billedMillisCeil());
        models.recordBilled(judge.version(), response.billedMillis());
        LOG.infof("scored task=%s expected=%s answers=%d/%d correct=%s ms=%d", input.task().column(), expected,
                answer.attributeOption(), answer.subjectOption(), verdict.correct(), response.billedMillis());
        return response;
    }

    private static ScoreResponse.ExpectedCell describe(Task task, Cell cell) {
        String x = task.isTypeOne() ? cell.attributeId() : cell.subjectId();
        String theta = task.isTypeOne() ? cell.subjectId() : cell.attributeId();
        return new ScoreResponse.ExpectedCell(cell.theme().id(), cell.subjectId(), cell.attributeId(), x, theta);
    }

    private static ScoreResponse.Answer answer(JudgeQuestion question, Cell expected, JudgeAnswer answer) {
        int option = answer.option(question);
        return new ScoreResponse.Answer(question.text(expected.theme()), option,
                question.options(expected.theme()).item(option - 1), answer.probability(question),
                option == question.correctOption(expected));
    }
}
