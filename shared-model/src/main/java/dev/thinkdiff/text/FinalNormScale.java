package dev.thinkdiff.text;

import dev.thinkdiff.text.OnnxGraph.Initializer;
import dev.thinkdiff.text.OnnxGraph.Node;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * The scale (gamma) of the normalization that ends an encoder, read from its ONNX file. ThinkDiff's aligner copies it
 * into its closing RMSNorm.
 *
 * <p>How it is found: walk back from the graph output (e.g. {@code last_hidden_state}) to the node producing it.
 * <ul>
 *   <li>A fused normalization node ({@code LayerNormalization}, {@code SimplifiedLayerNormalization},
 *       {@code RMSNormalization}): the scale is its input 1.</li>
 *   <li>A decomposed LayerNorm as PyTorch exports BERT, {@code ... Div -> Mul(x, gamma) -> Add(x, beta) -> output}
 *       (or a bias-free RMSNorm ending in that {@code Mul}): the scale is the {@code Mul}'s 1-D float initializer.</li>
 * </ul>
 * The name is recorded but not relied on, so constant-folded anonymous initializers are found just the same. For
 * all-MiniLM-L6-v2 (BERT, post-LN) this yields {@code encoder.layer.5.output.LayerNorm.weight}, 384 values.
 */
record FinalNormScale(String initializerName, float[] values) {

    private static final Set<String> FUSED_NORMS =
            Set.of("LayerNormalization", "SimplifiedLayerNormalization", "RMSNormalization");
    private static final int FUSED_SCALE_INPUT = 1;

    static FinalNormScale read(ByteBuffer onnxModel, String outputName) {
        OnnxGraph graph = OnnxGraph.parse(onnxModel);
        if (!graph.outputs().contains(outputName)) {
            throw new IllegalArgumentException("the ONNX graph has no output " + outputName + "; outputs: "
                    + graph.outputs());
        }
        Node last = graph.producerOf(outputName)
                .orElseThrow(() -> new IllegalArgumentException("no node produces " + outputName));
        Initializer scale = scaleOf(graph, last)
                .orElseThrow(() -> new IllegalArgumentException("the op producing " + outputName + " ("
                        + last.opType() + ") is not a recognised normalization with a stored scale"));
        return new FinalNormScale(scale.name(), scale.floats());
    }

    private static Optional<Initializer> scaleOf(OnnxGraph graph, Node last) {
        if (FUSED_NORMS.contains(last.opType())) {
            return graph.initializer(last.inputs().get(FUSED_SCALE_INPUT)).filter(Initializer::isFloatVector);
        }
        Node scaling = "Add".equals(last.opType()) ? mulFeeding(graph, last).orElse(null) : last;
        if (scaling == null || !"Mul".equals(scaling.opType())) {
            return Optional.empty();
        }
        return floatVectorInput(graph, scaling);
    }

    private static Optional<Node> mulFeeding(OnnxGraph graph, Node add) {
        return add.inputs().stream()
                .flatMap(input -> graph.producerOf(input).stream())
                .filter(node -> "Mul".equals(node.opType()) && floatVectorInput(graph, node).isPresent())
                .findFirst();
    }

    private static Optional<Initializer> floatVectorInput(OnnxGraph graph, Node node) {
        return node.inputs().stream()
                .flatMap(input -> graph.initializer(input).stream())
                .filter(Initializer::isFloatVector)
                .findFirst();
    }
}
