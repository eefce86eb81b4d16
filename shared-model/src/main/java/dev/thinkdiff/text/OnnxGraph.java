package dev.thinkdiff.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an ONNX model's graph needed to read a weight back out of it: nodes (op type, inputs, outputs),
 * initializers (name, shape, float data) and graph output names. Field numbers are those of onnx.proto.
 */
final class OnnxGraph {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int VALUE_INFO_NAME = 1;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int DATA_TYPE_FLOAT = 1;

    record Node(String opType, List<String> inputs, List<String> outputs) {
    }

    /** A stored tensor; its data stays a slice of the model bytes until {@link #floats()} is called. */
    record Initializer(String name, List<Long> dims, int dataType, ByteBuffer rawData, float[] floatData) {

        boolean isFloatVector() {
            return dataType == DATA_TYPE_FLOAT && dims.size() == 1;
        }

        float[] floats() {
            if (dataType != DATA_TYPE_FLOAT) {
                throw new IllegalStateException(name + " is not a float tensor (ONNX data type " + dataType + ")");
            }
            if (rawData == null) {
                return floatData.clone();
            }
            // ONNX stores raw_data little-endian; duplicate() would reset the order to big-endian.
            FloatBuffer values = rawData.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] out = new float[values.remaining()];
            values.get(out);
            return out;
        }
    }

    private final Map<String, Initializer> initializers;
    private final List<String> outputs;
    private final Map<String, Node> producers = new HashMap<>();

    private OnnxGraph(List<Node> nodes, Map<String, Initializer> initializers, List<String> outputs) {
        this.initializers = initializers;
        this.outputs = outputs;
        for (Node node : nodes) {
            node.outputs().forEach(output -> producers.put(output, node));
        }
    }

    /** Parses a serialized ModelProto (graph stored inline; external-data models are not supported). */
    static OnnxGraph parse(ByteBuffer model) {
        ProtoReader modelFields = new ProtoReader(model);
        while (modelFields.next()) {
            if (modelFields.field() == MODEL_GRAPH) {
                return parseGraph(modelFields.bytes());
            }
            modelFields.skip();
        }
        throw new IllegalArgumentException("not an ONNX model: no graph");
    }

    List<String> outputs() {
        return outputs;
    }

    Optional<Initializer> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    Optional<Node> producerOf(String tensor) {
        return Optional.ofNullable(producers.get(tensor));
    }

    private static OnnxGraph parseGraph(ByteBuffer graph) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Initializer> initializers = new HashMap<>();
        List<String> outputs = new ArrayList<>();
        ProtoReader fields = new ProtoReader(graph);
        while (fields.next()) {
            switch (fields.field()) {
                case GRAPH_NODE -> nodes.add(parseNode(fields.bytes()));
                case GRAPH_INITIALIZER -> {
                    Initializer tensor = parseTensor(fields.bytes());
                    initializers.put(tensor.name(), tensor);
                }
                case GRAPH_OUTPUT -> outputs.add(parseValueInfoName(fields.bytes()));
                default -> fields.skip();
            }
        }
        return new OnnxGraph(List.copyOf(nodes), Map.copyOf(initializers), List.copyOf(outputs));
    }

    private static Node parseNode(ByteBuffer node) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String opType = "";
        ProtoReader fields = new ProtoReader(node);
        while (fields.next()) {
            switch (fields.field()) {
                case NODE_INPUT -> inputs.add(fields.string());
                case NODE_OUTPUT -> outputs.add(fields.string());
                case NODE_OP_TYPE -> opType = fields.string();
                default -> fields.skip();
            }
        }
        return new Node(opType, List.copyOf(inputs), List.copyOf(outputs));
    }

    private static String parseValueInfoName(ByteBuffer valueInfo) {
        ProtoReader fields = new ProtoReader(valueInfo);
        while (fields.next()) {
            if (fields.field() == VALUE_INFO_NAME) {
                return fields.string();
            }
            fields.skip();
        }
        throw new IllegalArgumentException("graph output without a name");
    }

    private static Initializer parseTensor(ByteBuffer tensor) {
        List<Long> dims = new ArrayList<>();
        List<Float> floatData = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteBuffer rawData = null;
        ProtoReader fields = new ProtoReader(tensor);
        while (fields.next()) {
            switch (fields.field()) {
                case TENSOR_DIMS -> readRepeatedVarints(fields, dims);
                case TENSOR_DATA_TYPE -> dataType = (int) fields.varint();
                case TENSOR_FLOAT_DATA -> readRepeatedFloats(fields, floatData);
                case TENSOR_NAME -> name = fields.string();
                case TENSOR_RAW_DATA -> rawData = fields.bytes();
                default -> fields.skip();
            }
        }
        float[] floats = new float[floatData.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = floatData.get(i);
        }
        return new Initializer(name, List.copyOf(dims), dataType, rawData, floats);
    }

    /** Repeated scalars may be packed (one length-delimited run) or written one key per value. */
    private static void readRepeatedVarints(ProtoReader fields, List<Long> into) {
        if (fields.wireType() != ProtoReader.LENGTH_DELIMITED) {
            into.add(fields.varint());
            return;
        }
        ProtoReader packed = new ProtoReader(fields.bytes());
        while (packed.hasRemaining()) {
            into.add(packed.varint());
        }
    }

    private static void readRepeatedFloats(ProtoReader fields, List<Float> into) {
        if (fields.wireType() != ProtoReader.LENGTH_DELIMITED) {
            into.add(fields.fixed32Float());
            return;
        }
        FloatBuffer packed = fields.bytes().asFloatBuffer();
        while (packed.hasRemaining()) {
            into.add(packed.get());
        }
    }
}
