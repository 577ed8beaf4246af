package io.citypulse.tools.importcsv;

import io.citypulse.tools.simulate.EventSink;
import io.citypulse.tools.simulate.JsonLinesSink;
import io.citypulse.tools.simulate.KafkaEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Opens the simulator's JSON-lines and Kafka sinks, so imported events are written exactly as
 * simulated ones are: the same JSON-lines bytes (a contract that independent checks read) and the
 * same Kafka records (key = entity id, Avro single-object encoding, record timestamp = event time,
 * idempotent producer).
 */
final class SimulatorSinks {

    private SimulatorSinks() {}

    /** Creates or truncates {@code file}; JSON lines in the simulator's format. */
    static EventSink jsonLines(Path file) throws IOException {
        return JsonLinesSink.toFile(file);
    }

    /** JSON lines in the simulator's format to a stream (closed with the sink). */
    static EventSink jsonLines(OutputStream out) throws IOException {
        return new JsonLinesSink(out);
    }

    /**
     * Connects to Kafka and checks that both topics exist; fails within the simulator's timeout
     * with a message that says what to do.
     */
    static EventSink kafka(String bootstrap, String ticketsTopic, String leadsTopic) {
        return KafkaEventSink.connect(
                bootstrap, ticketsTopic, leadsTopic, KafkaEventSink.DEFAULT_MAX_BLOCK);
    }
}
