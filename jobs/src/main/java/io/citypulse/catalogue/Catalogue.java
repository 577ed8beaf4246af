package io.citypulse.catalogue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of matters: major categories, their items, and for each item the responsible agency
 * and default resolution time.
 *
 * <p>It is reference data shared by the simulator and the jobs (which roll item codes up to majors
 * and look up agencies and deadlines), so it lives in one CSV resource rather than in code: the
 * catalogue grows towards the real 4,000+ items without code changes. The object is immutable and
 * {@link Serializable} so a job can ship it inside its functions. Iteration order is the file
 * order, which keeps everything that depends on it deterministic.
 */
public final class Catalogue implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Classpath location of the default catalogue. */
    public static final String DEFAULT_RESOURCE = "/io/citypulse/catalogue/catalogue.csv";

    private static final String HEADER = "code,major,agency,resolution_hours,name";

    private final List<CatalogueItem> items;
    private final Map<String, CatalogueItem> byCode;
    private final Map<String, List<CatalogueItem>> byMajor;

    private Catalogue(List<CatalogueItem> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the catalogue has no items");
        }
        Map<String, CatalogueItem> codes = new LinkedHashMap<>();
        Map<String, List<CatalogueItem>> majors = new LinkedHashMap<>();
        for (CatalogueItem item : items) {
            if (codes.putIfAbsent(item.code(), item) != null) {
                throw new IllegalArgumentException("duplicate item code " + item.code());
            }
            majors.computeIfAbsent(item.major(), m -> new ArrayList<>()).add(item);
        }
        majors.replaceAll((major, list) -> List.copyOf(list));
        this.items = List.copyOf(items);
        this.byCode = Collections.unmodifiableMap(codes);
        this.byMajor = Collections.unmodifiableMap(majors);
    }

    /** Loads the catalogue shipped in the jar ({@value #DEFAULT_RESOURCE}). */
    public static Catalogue load() {
        try (InputStream in = Catalogue.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "catalogue resource " + DEFAULT_RESOURCE + " is not on the classpath");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Parses a catalogue in the CSV format of the default resource: {@code #} comment lines, the
     * header {@value #HEADER}, then one item per line.
     *
     * @param source name used in error messages
     */
    public static Catalogue parse(Reader reader, String source) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        List<CatalogueItem> items = new ArrayList<>();
        boolean headerSeen = false;
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                if (!trimmed.equals(HEADER)) {
                    throw new IllegalArgumentException(
                            source + ":" + lineNumber + ": expected header '" + HEADER + "'");
                }
                headerSeen = true;
                continue;
            }
            items.add(parseItem(trimmed, source, lineNumber));
        }
        if (!headerSeen) {
            throw new IllegalArgumentException(source + ": no header '" + HEADER + "'");
        }
        return new Catalogue(items);
    }

    private static CatalogueItem parseItem(String line, String source, int lineNumber) {
        String[] cells = line.split(",", -1);
        if (cells.length != 5) {
            throw new IllegalArgumentException(
                    source + ":" + lineNumber + ": expected 5 columns, found " + cells.length);
        }
        try {
            return new CatalogueItem(
                    cells[0].strip(),
                    cells[1].strip(),
                    cells[2].strip(),
                    Integer.parseInt(cells[3].strip()),
                    cells[4].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + ":" + lineNumber + ": " + e.getMessage(), e);
        }
    }

    /** Every item, in file order. */
    public List<CatalogueItem> items() {
        return items;
    }

    /** Major categories, in order of first appearance. */
    public List<String> majors() {
        return List.copyOf(byMajor.keySet());
    }

    /** Items of one major, most frequent first; empty for an unknown major. */
    public List<CatalogueItem> itemsOf(String major) {
        return byMajor.getOrDefault(major, List.of());
    }

    /** The item with this code, if the catalogue has it. */
    public Optional<CatalogueItem> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** The item with this code; throws for an unknown code. */
    public CatalogueItem item(String code) {
        CatalogueItem item = byCode.get(code);
        if (item == null) {
            throw new IllegalArgumentException("unknown catalogue item " + code);
        }
        return item;
    }

    /** Distinct agencies, in order of first appearance. */
    public List<String> agencies() {
        return items.stream().map(CatalogueItem::agency).distinct().toList();
    }
}
