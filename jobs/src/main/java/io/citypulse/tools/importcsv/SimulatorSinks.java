package io.citypulse.tools.importcsv;

import io.citypulse.tools.simulate.EventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens the simulator's JSON-lines and Kafka sinks, so imported events are written exactly as
 * simulated ones are: the same JSON-lines bytes (a contract that independent checks read) and the
 * same Kafka records (key = entity id, Avro single-object encoding, record timestamp = event time,
 * idempotent producer).
 *
 * <p>Those sinks are package-private in {@code io.citypulse.tools.simulate}, which another change
 * owns; until it exports them, this class reaches them reflectively, and nothing else here knows.
 * When {@code JsonLinesSink.toFile}, its {@code OutputStream} constructor and {@code
 * KafkaEventSink.connect} become public, each method below becomes a one-line direct call.
 */
final class SimulatorSinks {

    private static final String PACKAGE = "io.citypulse.tools.simulate.";

    private SimulatorSinks() {}

    /** Creates or truncates {@code file}; JSON lines in the simulator's format. */
    static EventSink jsonLines(Path file) throws IOException {
        return (EventSink) invoke(method("JsonLinesSink", "toFile", Path.class), file);
    }

    /** JSON lines in the simulator's format to a stream (closed with the sink). */
    static EventSink jsonLines(OutputStream out) throws IOException {
        try {
            var constructor =
                    Class.forName(PACKAGE + "JsonLinesSink")
                            .getDeclaredConstructor(OutputStream.class);
            constructor.setAccessible(true);
            return (EventSink) constructor.newInstance(out);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        } catch (ReflectiveOperationException e) {
            throw missing(e);
        }
    }

    /**
     * Connects to Kafka and checks that both topics exist; fails within the simulator's timeout
     * with a message that says what to do.
     */
    static EventSink kafka(String bootstrap, String ticketsTopic, String leadsTopic)
            throws IOException {
        Method connect =
                method(
                        "KafkaEventSink",
                        "connect",
                        String.class,
                        String.class,
                        String.class,
                        Duration.class);
        Duration maxBlock;
        try {
            Field field =
                    Class.forName(PACKAGE + "KafkaEventSink").getDeclaredField("DEFAULT_MAX_BLOCK");
            field.setAccessible(true);
            maxBlock = (Duration) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw missing(e);
        }
        return (EventSink) invoke(connect, bootstrap, ticketsTopic, leadsTopic, maxBlock);
    }

    private static Method method(String className, String name, Class<?>... parameters) {
        try {
            Method method = Class.forName(PACKAGE + className).getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException e) {
            throw missing(e);
        }
    }

    private static Object invoke(Method method, Object... args) throws IOException {
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        } catch (IllegalAccessException e) {
            throw missing(e);
        }
    }

    private static IOException unwrap(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private static IllegalStateException missing(Exception e) {
        return new IllegalStateException(
                "the simulator's sinks changed shape; update " + SimulatorSinks.class.getName(), e);
    }
}
