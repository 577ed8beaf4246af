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
 * The catalogue of matters: the major categories, their items, and for each item the responsible
 * agency, default resolution time and (for a few urgent matters) a stricter dispatch deadline.
 *
 * <p>It is reference data shared by the simulator, the jobs (which roll item codes up to majors and
 * look up agencies and deadlines) and the ClickHouse dimension table {@code catalogue} ({@code
 * scripts/load-catalogue}), so it lives in two CSV resources rather than in code: {@value
 * #MAJORS_RESOURCE} and {@value #ITEMS_RESOURCE}. The catalogue grows towards the real 4,000+ items
 * without code changes. The object is immutable and {@link Serializable} so a job can ship it
 * inside its functions. Iteration order is the file order, which keeps everything that depends on
 * it deterministic.
 */
public final class Catalogue implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Classpath location of the default catalogue's items. */
    public static final String ITEMS_RESOURCE = "/io/citypulse/catalogue/catalogue.csv";

    /** Classpath location of the default catalogue's major categories. */
    public static final String MAJORS_RESOURCE = "/io/citypulse/catalogue/majors.csv";

    static final String ITEMS_HEADER =
            "code,major,agency,resolution_hours,dispatch_limit_minutes,name,name_zh";
    static final String MAJORS_HEADER = "major,name,name_zh";

    private final List<MajorCategory> majors;
    private final List<CatalogueItem> items;
    private final Map<String, CatalogueItem> byCode;
    private final Map<String, MajorCategory> majorByCode;
    private final Map<String, List<CatalogueItem>> byMajor;

    private Catalogue(List<MajorCategory> majors, List<CatalogueItem> items) {
        Map<String, MajorCategory> majorCodes = new LinkedHashMap<>();
        for (MajorCategory major : majors) {
            if (majorCodes.putIfAbsent(major.code(), major) != null) {
                throw new IllegalArgumentException("duplicate major category " + major.code());
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("the catalogue has no items");
        }
        Map<String, CatalogueItem> codes = new LinkedHashMap<>();
        Map<String, List<CatalogueItem>> itemsByMajor = new LinkedHashMap<>();
        majorCodes.keySet().forEach(code -> itemsByMajor.put(code, new ArrayList<>()));
        for (CatalogueItem item : items) {
            if (codes.putIfAbsent(item.code(), item) != null) {
                throw new IllegalArgumentException("duplicate item code " + item.code());
            }
            List<CatalogueItem> list = itemsByMajor.get(item.major());
            if (list == null) {
                throw new IllegalArgumentException(
                        "item " + item.code() + " has an undeclared major " + item.major());
            }
            list.add(item);
        }
        itemsByMajor.forEach(
                (major, list) -> {
                    if (list.isEmpty()) {
                        throw new IllegalArgumentException("major " + major + " has no items");
                    }
                });
        itemsByMajor.replaceAll((major, list) -> List.copyOf(list));
        this.majors = List.copyOf(majors);
        this.items = List.copyOf(items);
        this.byCode = Collections.unmodifiableMap(codes);
        this.majorByCode = Collections.unmodifiableMap(majorCodes);
        this.byMajor = Collections.unmodifiableMap(itemsByMajor);
    }

    /**
     * Loads the catalogue shipped in the jar ({@value #MAJORS_RESOURCE}, {@value #ITEMS_RESOURCE}).
     */
    public static Catalogue load() {
        try (InputStream majors = resource(MAJORS_RESOURCE);
                InputStream items = resource(ITEMS_RESOURCE)) {
            return parse(
                    new InputStreamReader(majors, StandardCharsets.UTF_8),
                    MAJORS_RESOURCE,
                    new InputStreamReader(items, StandardCharsets.UTF_8),
                    ITEMS_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue resources", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Catalogue.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(
                    "catalogue resource " + name + " is not on the classpath");
        }
        return in;
    }

    /**
     * Parses a catalogue in the CSV format of the default resources: in each, {@code #} comment
     * lines, a header ({@value #MAJORS_HEADER}; {@value #ITEMS_HEADER}), then one row per line.
     * Cells hold no commas and no quotes.
     *
     * @param majorsSource name of the majors file in error messages
     * @param itemsSource name of the items file in error messages
     */
    public static Catalogue parse(
            Reader majors, String majorsSource, Reader items, String itemsSource)
            throws IOException {
        List<MajorCategory> majorList = new ArrayList<>();
        for (Row row : rows(majors, majorsSource, MAJORS_HEADER)) {
            try {
                MajorCategory major = new MajorCategory(row.cell(0), row.cell(1), row.cell(2));
                if (majorList.stream().anyMatch(m -> m.code().equals(major.code()))) {
                    throw new IllegalArgumentException("duplicate major category " + major.code());
                }
                majorList.add(major);
            } catch (IllegalArgumentException e) {
                throw row.error(e);
            }
        }
        List<CatalogueItem> itemList = new ArrayList<>();
        for (Row row : rows(items, itemsSource, ITEMS_HEADER)) {
            try {
                String limit = row.cell(4);
                itemList.add(
                        new CatalogueItem(
                                row.cell(0),
                                row.cell(1),
                                row.cell(2),
                                Integer.parseInt(row.cell(3)),
                                limit.isEmpty() ? 0 : Integer.parseInt(limit),
                                row.cell(5),
                                row.cell(6)));
            } catch (IllegalArgumentException e) {
                throw row.error(e);
            }
        }
        try {
            return new Catalogue(majorList, itemList);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(itemsSource + ": " + e.getMessage(), e);
        }
    }

    /** A data line of a catalogue file, split into its cells. */
    private record Row(String source, int line, String[] cells) {
        String cell(int index) {
            return cells[index].strip();
        }

        IllegalArgumentException error(IllegalArgumentException cause) {
            return new IllegalArgumentException(
                    source + ":" + line + ": " + cause.getMessage(), cause);
        }
    }

    private static List<Row> rows(Reader reader, String source, String header) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        int columns = header.split(",").length;
        List<Row> rows = new ArrayList<>();
        boolean headerSeen = false;
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                if (!trimmed.equals(header)) {
                    throw new IllegalArgumentException(
                            source + ":" + lineNumber + ": expected header '" + header + "'");
                }
                headerSeen = true;
                continue;
            }
            String[] cells = trimmed.split(",", -1);
            if (cells.length != columns) {
                throw new IllegalArgumentException(
                        source
                                + ":"
                                + lineNumber
                                + ": expected "
                                + columns
                                + " columns, found "
                                + cells.length);
            }
            if (trimmed.indexOf('"') >= 0) {
                throw new IllegalArgumentException(
                        source + ":" + lineNumber + ": quotes are not allowed in the catalogue");
            }
            rows.add(new Row(source, lineNumber, cells));
        }
        if (!headerSeen) {
            throw new IllegalArgumentException(source + ": no header '" + header + "'");
        }
        return rows;
    }

    /** Every item, in file order. */
    public List<CatalogueItem> items() {
        return items;
    }

    /** Major category codes, in the order of the majors file. */
    public List<String> majors() {
        return List.copyOf(majorByCode.keySet());
    }

    /** Major categories with their names, in the order of the majors file. */
    public List<MajorCategory> majorCategories() {
        return majors;
    }

    /** The major category with this code; throws for an unknown code. */
    public MajorCategory major(String code) {
        MajorCategory major = majorByCode.get(code);
        if (major == null) {
            throw new IllegalArgumentException("unknown major category " + code);
        }
        return major;
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
