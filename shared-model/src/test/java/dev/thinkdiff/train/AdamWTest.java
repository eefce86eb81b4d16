package dev.thinkdiff.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {

    private static final AdamW.Settings SETTINGS =
            AdamW.Settings.of(new LearningRateSchedule(0.05, 2, 20, 0.1), 0.1);

    @Test
    void savedStateContinuesExactlyLikeTheOriginal(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block original = tinyNet(manager);
            Block copy = tinyNet(manager);
            try (AdamW first = new AdamW(original.getParameters(), manager, SETTINGS);
                    AdamW second = new AdamW(copy.getParameters(), manager, SETTINGS)) {
                for (int step = 0; step < 3; step++) {
                    trainStep(original, first, manager, step);
                }
                first.save(dir.resolve("adamw.ndlist"));
                TrainingRun.saveParameters(original, dir.resolve("net.params"));
                TrainingRun.loadParameters(copy, manager, dir.resolve("net.params"));
                second.load(dir.resolve("adamw.ndlist"));
                assertEquals(3, second.stepCount());
                assertEquals(first.currentLearningRate(), second.currentLearningRate());

                for (int step = 3; step < 6; step++) {
                    trainStep(original, first, manager, step);
                    trainStep(copy, second, manager, step);
                }
                List<float[]> a = values(original);
                List<float[]> b = values(copy);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i), b.get(i), 0f, "parameter " + i);
                }
            }
        }
    }

    @Test
    void decaysMatricesButNotBiases() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = tinyNet(manager);
            List<float[]> before = values(net);
            try (AdamW optimizer = new AdamW(net.getParameters(), manager,
                    AdamW.Settings.of(new LearningRateSchedule(0.1, 0, 10, 1), 0.5))) {
                // zero gradients: Adam's own step is 0, only decoupled decay moves parameters
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = net.forward(new ParameterStore(manager, false),
                            new NDList(manager.ones(new Shape(2, 3))), true).singletonOrThrow();
                    collector.backward(out.mul(0).sum());
                }
                optimizer.step();
            }
            List<float[]> after = values(net);
            assertEquals(before.get(0)[0] * (1 - 0.1f * 0.5f), after.get(0)[0], 1e-6f, "weight decays");
            assertArrayEquals(before.get(1), after.get(1), 0f, "bias does not");
        }
    }

    @Test
    void clippingScalesTheGradientsToTheLimitBeforeTheUpdate() {
        float limit = 0.5f;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block clipped = tinyNet(manager);
            Block byHand = tinyNet(manager);
            Block unclipped = tinyNet(manager);
            try (AdamW clipping = new AdamW(clipped.getParameters(), manager, SETTINGS.withGradientClipping(limit));
                    AdamW plain = new AdamW(byHand.getParameters(), manager, SETTINGS);
                    AdamW reference = new AdamW(unclipped.getParameters(), manager, SETTINGS)) {
                for (int step = 0; step < 4; step++) {
                    trainStep(clipped, clipping, manager, step);
                    backward(byHand, manager, step);
                    double norm = Math.sqrt(byHand.getParameters().values().stream()
                            .mapToDouble(p -> p.getArray().getGradient().square().sum().getFloat()).sum());
                    assertTrue(norm > limit, "the test's gradients must exceed the limit, norm " + norm);
                    byHand.getParameters().values().forEach(p -> p.getArray().getGradient().muli((float) (limit / norm)));
                    plain.step();
                    trainStep(unclipped, reference, manager, step);
                }
            }
            List<float[]> a = values(clipped);
            List<float[]> b = values(byHand);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i), a.get(i), 1e-6f, "parameter " + i);
            }
            assertTrue(Math.abs(values(unclipped).get(0)[0] - a.get(0)[0]) > 1e-4, "clipping changed the updates");
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysToTheFinalFraction() {
        LearningRateSchedule schedule = new LearningRateSchedule(1.0, 10, 110, 0.1);
        assertEquals(0.1, schedule.at(0), 1e-12);
        assertEquals(1.0, schedule.at(9), 1e-12);
        assertEquals(0.55, schedule.at(60), 1e-12);
        assertEquals(0.1, schedule.at(110), 1e-12);
        assertTrue(schedule.at(30) > schedule.at(80));
    }

    private static Block tinyNet(NDManager manager) {
        SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(4).build())
                .add(Linear.builder().setUnits(2).build());
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
        ParameterInit.heNormal(net, 7);
        return net;
    }

    private static void trainStep(Block net, AdamW optimizer, NDManager manager, int step) {
        backward(net, manager, step);
        optimizer.step();
    }

    private static void backward(Block net, NDManager manager, int step) {
        try (NDManager stepManager = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray input = stepManager.create(new float[] {1, step, -2, 0.5f, 3, -step}, new Shape(2, 3));
            NDArray out = net.forward(new ParameterStore(manager, false), new NDList(input), true)
                    .singletonOrThrow();
            collector.backward(out.square().sum());
        }
    }

    private static List<float[]> values(Block net) {
        return net.getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toList();
    }
}
