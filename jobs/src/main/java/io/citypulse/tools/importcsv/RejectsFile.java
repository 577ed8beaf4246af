package io.citypulse.tools.importcsv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Every rejected row of an import as CSV ({@code line,reason,detail}), for a data engineer to fix
 * the export or the mapping from: the summary shows only the first few.
 */
final class RejectsFile implements Consumer<Rejection>, Closeable {

    private final BufferedWriter out;

    RejectsFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("line,reason,detail\n");
    }

    @Override
    public void accept(Rejection rejection) {
        try {
            out.write(
                    rejection.line()
                            + ","
                            + quote(rejection.reason())
                            + ","
                            + quote(rejection.detail())
                            + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 quoting, only where needed. */
    static String quote(String value) {
        if (value.indexOf(',') < 0
                && value.indexOf('"') < 0
                && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
