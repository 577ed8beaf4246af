package io.citypulse.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    private static final String HEADER = "code,major,agency,resolution_hours,name\n";

    @Test
    void shippedCatalogueHasMajorsWithTwoToFiveItemsEachMappedToAnAgency() {
        Catalogue catalogue = Catalogue.load();
        assertThat(catalogue.majors())
                .contains(
                        "NOISE",
                        "ROADS",
                        "SANITATION",
                        "CONSUMER",
                        "TRAFFIC",
                        "LABOUR",
                        "HOUSING",
                        "WATER");
        for (String major : catalogue.majors()) {
            assertThat(catalogue.itemsOf(major)).as(major).hasSizeBetween(2, 5);
        }
        CatalogueItem item = catalogue.item("NOISE-CONSTRUCTION");
        assertThat(item.major()).isEqualTo("NOISE");
        assertThat(item.agency()).isEqualTo("ECOLOGY_ENVIRONMENT");
        assertThat(item.resolutionHours()).isEqualTo(24);
        assertThat(catalogue.find("NOISE-NONE")).isEmpty();
        assertThat(catalogue.agencies()).contains("MARKET_REGULATION", "HUMAN_RESOURCES");
    }

    @Test
    void survivesJavaSerializationForShippingInsideJobs() throws Exception {
        Catalogue catalogue = Catalogue.load();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(catalogue);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Catalogue copy = (Catalogue) in.readObject();
            assertThat(copy.items()).isEqualTo(catalogue.items());
            assertThat(copy.item("WATER-PIPE-BURST")).isEqualTo(catalogue.item("WATER-PIPE-BURST"));
        }
    }

    @Test
    void rejectsMalformedCataloguesNamingTheLine() {
        assertParseFails("code,major\n", "expected header");
        assertParseFails(HEADER + "NOISE-A,NOISE,X,24\n", "test:2: expected 5 columns");
        assertParseFails(HEADER + "NOISE-A,NOISE,X,24,a\nNOISE-A,NOISE,X,24,b\n", "duplicate");
        assertParseFails(HEADER + "ROADS-A,NOISE,X,24,a\n", "does not start with its major");
        assertParseFails(HEADER + "NOISE-A,NOISE,,24,a\n", "has no agency");
        assertParseFails(HEADER + "NOISE-A,NOISE,X,0,a\n", "non-positive resolution time");
        assertParseFails(HEADER + "NOISE-A,NOISE,X,soon,a\n", "test:2:");
    }

    private static void assertParseFails(String text, String message) {
        assertThatThrownBy(() -> Catalogue.parse(new StringReader(text), "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void commentsAndBlankLinesAreIgnored() throws IOException {
        Catalogue catalogue =
                Catalogue.parse(
                        new StringReader(
                                "# a comment\n\n"
                                        + HEADER
                                        + "# another\nNOISE-A,NOISE,X,1,a\nNOISE-B,NOISE,Y,2,b\n"),
                        "test");
        assertThat(catalogue.items())
                .extracting(CatalogueItem::code)
                .containsExactly("NOISE-A", "NOISE-B");
    }
}
