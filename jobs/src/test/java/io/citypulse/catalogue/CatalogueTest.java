package io.citypulse.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CatalogueTest {

    private static final String MAJORS = "major,name,name_zh\nNOISE,Noise,噪声\nROADS,Roads,道路\n";
    private static final String HEADER =
            "code,major,agency,resolution_hours,dispatch_limit_minutes,name,name_zh\n";

    /**
     * The items of the first catalogue (code, agency, resolution hours): tickets in storage and the
     * SLA job's tests carry these codes, so they must keep their meaning.
     */
    private static final String FIRST_CATALOGUE =
            """
            NOISE-CONSTRUCTION ECOLOGY_ENVIRONMENT 24
            NOISE-NEIGHBOURHOOD PUBLIC_SECURITY 24
            NOISE-COMMERCIAL URBAN_MANAGEMENT 48
            NOISE-INDUSTRIAL ECOLOGY_ENVIRONMENT 72
            NOISE-TRAFFIC TRANSPORT 120
            ROADS-POTHOLE TRANSPORT 72
            ROADS-STREETLIGHT URBAN_MANAGEMENT 48
            ROADS-SIDEWALK URBAN_MANAGEMENT 120
            ROADS-WATERLOGGING WATER_AFFAIRS 12
            ROADS-MANHOLE-COVER URBAN_MANAGEMENT 8
            SANITATION-GARBAGE-COLLECTION URBAN_MANAGEMENT 24
            SANITATION-STREET-CLEANING URBAN_MANAGEMENT 24
            SANITATION-ILLEGAL-DUMPING URBAN_MANAGEMENT 48
            SANITATION-PUBLIC-TOILET URBAN_MANAGEMENT 48
            CONSUMER-PREPAID-CARD MARKET_REGULATION 240
            CONSUMER-ONLINE-SHOPPING MARKET_REGULATION 168
            CONSUMER-PRODUCT-QUALITY MARKET_REGULATION 168
            CONSUMER-PRICE MARKET_REGULATION 120
            CONSUMER-FOOD-SAFETY MARKET_REGULATION 48
            TRAFFIC-ILLEGAL-PARKING TRAFFIC_POLICE 4
            TRAFFIC-CONGESTION TRAFFIC_POLICE 72
            TRAFFIC-SIGNAL-FAULT TRAFFIC_POLICE 12
            TRAFFIC-BUS-SERVICE TRANSPORT 120
            TRAFFIC-TAXI TRANSPORT 120
            LABOUR-WAGE-ARREARS HUMAN_RESOURCES 240
            LABOUR-CONTRACT HUMAN_RESOURCES 240
            LABOUR-SOCIAL-INSURANCE HUMAN_RESOURCES 240
            LABOUR-OVERTIME HUMAN_RESOURCES 168
            HOUSING-PROPERTY-MANAGEMENT HOUSING_CONSTRUCTION 120
            HOUSING-RENTAL-DISPUTE HOUSING_CONSTRUCTION 168
            HOUSING-ELEVATOR MARKET_REGULATION 24
            HOUSING-ILLEGAL-CONSTRUCTION URBAN_MANAGEMENT 240
            HOUSING-NEW-HOME-DELIVERY HOUSING_CONSTRUCTION 240
            WATER-SUPPLY-OUTAGE WATER_AFFAIRS 12
            WATER-PIPE-BURST WATER_AFFAIRS 6
            WATER-QUALITY WATER_AFFAIRS 48
            WATER-SEWAGE-OVERFLOW WATER_AFFAIRS 24
            ENVIRONMENT-CATERING-FUMES ECOLOGY_ENVIRONMENT 72
            ENVIRONMENT-AIR-ODOUR ECOLOGY_ENVIRONMENT 72
            ENVIRONMENT-WATER-POLLUTION ECOLOGY_ENVIRONMENT 72
            GREENING-FALLEN-TREE URBAN_MANAGEMENT 8
            GREENING-PRUNING URBAN_MANAGEMENT 168
            GREENING-PARK-FACILITY URBAN_MANAGEMENT 120
            """;

    @Test
    void shippedCatalogueHasEighteenMajorsAndAFewHundredItemsEachWithAnAgency() {
        Catalogue catalogue = Catalogue.load();
        assertThat(catalogue.majors())
                .hasSize(18)
                .contains("NOISE", "ROADS", "CONSUMER", "TRAFFIC", "LABOUR", "HOUSING", "WATER");
        assertThat(catalogue.items()).hasSizeBetween(250, 1000);
        assertThat(catalogue.itemsOf("NOISE"))
                .as("noise alone has dozens")
                .hasSizeGreaterThanOrEqualTo(30);
        for (MajorCategory major : catalogue.majorCategories()) {
            assertThat(catalogue.itemsOf(major.code()))
                    .as(major.code())
                    .hasSizeGreaterThanOrEqualTo(8);
            assertThat(major.name()).isNotBlank();
            assertThat(major.nameZh()).as(major.code()).isNotBlank();
        }
        for (CatalogueItem item : catalogue.items()) {
            assertThat(item.code()).matches("[A-Z0-9_]+(-[A-Z0-9]+)+");
            assertThat(item.name()).as(item.code()).isNotBlank();
            assertThat(item.nameZh()).as(item.code()).isNotBlank();
            assertThat(item.resolutionHours()).as(item.code()).isBetween(1, 24 * 30);
        }
        assertThat(catalogue.agencies()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(catalogue.find("NOISE-NONE")).isEmpty();
        assertThat(catalogue.major("NOISE").nameZh()).isEqualTo("噪声扰民");
    }

    @Test
    void everyItemOfTheFirstCatalogueKeepsItsMajorAgencyAndResolutionTime() {
        Catalogue catalogue = Catalogue.load();
        for (String line : FIRST_CATALOGUE.strip().split("\n")) {
            String[] cells = line.strip().split(" ");
            CatalogueItem item = catalogue.item(cells[0]);
            assertThat(item.code()).startsWith(item.major() + "-");
            assertThat(item.agency()).as(cells[0]).isEqualTo(cells[1]);
            assertThat(item.resolutionHours()).as(cells[0]).isEqualTo(Integer.parseInt(cells[2]));
        }
    }

    @Test
    void itemDispatchLimitsAreStricterThanTheGeneralDeadlineAndRare() {
        Catalogue catalogue = Catalogue.load();
        List<CatalogueItem> strict =
                catalogue.items().stream().filter(i -> i.dispatchLimit().isPresent()).toList();
        assertThat(strict).isNotEmpty().hasSizeLessThan(catalogue.items().size() / 10);
        assertThat(strict)
                .allMatch(i -> i.dispatchLimitMinutes() > 0 && i.dispatchLimitMinutes() < 120);
        assertThat(catalogue.item("ENERGY-GAS-LEAK").dispatchLimitMinutes()).isEqualTo(15);
        assertThat(catalogue.item("NOISE-CONSTRUCTION").dispatchLimit()).isEmpty();
    }

    @Test
    void agenciesAreAsciiCodesAndEachMajorHasSeveralOfThem() {
        Catalogue catalogue = Catalogue.load();
        assertThat(catalogue.agencies()).allMatch(a -> a.matches("[A-Z_]+"));
        Map<String, Long> agenciesPerMajor =
                catalogue.items().stream()
                        .collect(
                                Collectors.groupingBy(
                                        CatalogueItem::major,
                                        Collectors.mapping(
                                                CatalogueItem::agency,
                                                Collectors.collectingAndThen(
                                                        Collectors.toSet(),
                                                        s -> (long) s.size()))));
        // Most majors involve more than one unit, so a returned ticket can go to another one.
        assertThat(agenciesPerMajor.values().stream().filter(n -> n > 1).count())
                .isGreaterThanOrEqualTo(12);
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
            assertThat(copy.majorCategories()).isEqualTo(catalogue.majorCategories());
            assertThat(copy.item("WATER-PIPE-BURST")).isEqualTo(catalogue.item("WATER-PIPE-BURST"));
        }
    }

    @Test
    void rejectsMalformedCataloguesNamingTheFileAndLine() {
        assertParseFails(MAJORS, "code,major\n", "items:1: expected header");
        assertParseFails(MAJORS, HEADER + "NOISE-A,NOISE,X,24,,a\n", "items:2: expected 7 columns");
        assertParseFails(
                MAJORS, HEADER + "NOISE-A,NOISE,X,24,,a,甲\nNOISE-A,NOISE,X,24,,b,乙\n", "duplicate");
        assertParseFails(
                MAJORS, HEADER + "ROADS-A,NOISE,X,24,,a,甲\n", "does not start with its major");
        assertParseFails(MAJORS, HEADER + "NOISE-a,NOISE,X,24,,a,甲\n", "not ASCII upper case");
        assertParseFails(MAJORS, HEADER + "NOISE-A,NOISE,,24,,a,甲\n", "has no agency");
        assertParseFails(
                MAJORS, HEADER + "NOISE-A,NOISE,X,0,,a,甲\n", "non-positive resolution time");
        assertParseFails(MAJORS, HEADER + "NOISE-A,NOISE,X,soon,,a,甲\n", "items:2:");
        assertParseFails(MAJORS, HEADER + "NOISE-A,NOISE,X,24,-5,a,甲\n", "negative dispatch limit");
        assertParseFails(MAJORS, HEADER + "NOISE-A,NOISE,X,24,,\"a\",甲\n", "quotes");
        assertParseFails(MAJORS, HEADER + "WATER-A,WATER,X,24,,a,甲\n", "undeclared major WATER");
        assertParseFails(MAJORS, HEADER + "NOISE-A,NOISE,X,24,,a,甲\n", "major ROADS has no items");
        assertParseFails("major,name,name_zh\nNO-ISE,Noise,噪声\n", HEADER, "majors:2:");
        assertParseFails(
                "major,name,name_zh\nNOISE,Noise,a\nNOISE,N,b\n",
                HEADER,
                "majors:3: duplicate major");
    }

    private static void assertParseFails(String majors, String items, String message) {
        assertThatThrownBy(
                        () ->
                                Catalogue.parse(
                                        new StringReader(majors),
                                        "majors",
                                        new StringReader(items),
                                        "items"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void commentsAndBlankLinesAreIgnoredAndEmptyLimitsMeanThePlatformDeadline() throws IOException {
        Catalogue catalogue =
                Catalogue.parse(
                        new StringReader("# majors\n" + MAJORS),
                        "majors",
                        new StringReader(
                                "# a comment\n\n"
                                        + HEADER
                                        + "# another\nNOISE-A,NOISE,X,1,,a,甲\nNOISE-B,NOISE,Y,2,30,b,乙\n"
                                        + "ROADS-C,ROADS,Z,3,0,c,丙\n"),
                        "items");
        assertThat(catalogue.items())
                .extracting(CatalogueItem::code)
                .containsExactly("NOISE-A", "NOISE-B", "ROADS-C");
        assertThat(catalogue.item("NOISE-A").dispatchLimit()).isEmpty();
        assertThat(catalogue.item("NOISE-B").dispatchLimit()).hasValue(30);
        assertThat(catalogue.item("ROADS-C").dispatchLimit()).isEmpty();
        assertThat(catalogue.itemsOf("NOISE"))
                .extracting(CatalogueItem::nameZh)
                .containsExactly("甲", "乙");
        assertThat(catalogue.majors()).containsExactly("NOISE", "ROADS");
    }
}
