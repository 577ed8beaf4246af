package io.citypulse.common;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;

/**
 * A keyed stream connected to a broadcast stream and run by an operator of one's own. Flink's
 * {@code connect(broadcast).process(function)} always builds its own {@code
 * CoBroadcastWithKeyedOperator}; a subclass of it (to act before checkpoint barriers, say) needs
 * the same transformation built here: the keyed input's key selector and key type on the operator,
 * none on the broadcast input.
 */
public final class KeyedBroadcast {

    private KeyedBroadcast() {}

    public static <K, IN1, IN2, OUT> SingleOutputStreamOperator<OUT> transform(
            KeyedStream<IN1, K> keyed,
            BroadcastStream<IN2> broadcast,
            String name,
            TypeInformation<OUT> outType,
            TwoInputStreamOperator<IN1, IN2, OUT> operator) {
        StreamExecutionEnvironment env = keyed.getExecutionEnvironment();
        TwoInputTransformation<IN1, IN2, OUT> transformation =
                new TwoInputTransformation<>(
                        keyed.getTransformation(),
                        broadcast.getTransformation(),
                        name,
                        SimpleOperatorFactory.of(operator),
                        outType,
                        env.getParallelism(),
                        false);
        transformation.setStateKeySelectors(keyed.getKeySelector(), null);
        transformation.setStateKeyType(keyed.getKeyType());
        env.addOperator(transformation);
        return new SingleOutputStreamOperator<OUT>(env, transformation) {};
    }
}
