package io.citypulse.tools.simulate;

import com.fasterxml.jackson.core.JsonGenerator;
import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.TicketEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes events as {@link JsonLines} to a file or stream, in the order it receives them. */
public final class JsonLinesSink implements EventSink {

    private static final int BUFFER_BYTES = 1 << 20;

    private final JsonGenerator json;

    /** JSON lines to a stream, which {@link #close()} closes. */
    public JsonLinesSink(OutputStream out) throws IOException {
        this.json = JsonLines.generator(new BufferedOutputStream(out, BUFFER_BYTES));
    }

    /** Creates or truncates {@code file} (and its missing parent directories). */
    public static JsonLinesSink toFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new JsonLinesSink(Files.newOutputStream(file));
    }

    @Override
    public void ticket(TicketEvent event) throws IOException {
        JsonLines.write(json, event);
    }

    @Override
    public void lead(LeadEvent event) throws IOException {
        JsonLines.write(json, event);
    }

    /** With the fault marks: {@code "fault"} when there is one, {@code "deliverySeq"} always. */
    @Override
    public void deliver(Delivery delivery) throws IOException {
        JsonLines.write(json, delivery);
    }

    @Override
    public void close() throws IOException {
        json.close(); // flushes and closes the underlying stream
    }
}
