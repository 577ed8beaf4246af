package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.citypulse.testutils.RepoPaths;
import java.nio.file.Path;
import java.time.ZoneId;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MappingLoaderTest {

    private static final String VALID =
            """
            source: test
            timeFormat: "yyyy-MM-dd HH:mm"
            timeZone: America/New_York
            times:
              created: Created
              closed: Closed
            fields:
              ticketId: Id
              channel: {constant: HOTLINE}
              categoryCode: {column: Type, transform: slug}
              categoryMajor: {sameAs: categoryCode, map: {"SW-*": SANITATION}, default: OTHER}
              district: {column: District, default: Unknown}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"baltimore.yaml", "los-angeles.yaml", "invented-example-leads.yaml"})
    void theShippedMappingsLoad(String name) throws MappingException {
        Mapping mapping =
                MappingLoader.load(RepoPaths.root().resolve("scripts/mappings").resolve(name));
        assertThat(mapping.source()).isNotBlank();
        assertThat(mapping.times()).isNotEmpty();
    }

    @Test
    void readsAValidMappingWithDefaults() throws MappingException {
        Mapping mapping = MappingLoader.parse(VALID, "m.yaml");
        assertThat(mapping.kind()).isEqualTo(Kind.TICKETS);
        assertThat(mapping.delimiter()).isEqualTo(',');
        assertThat(mapping.time().zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(mapping.times())
                .containsExactly(
                        java.util.Map.entry("created", "Created"),
                        java.util.Map.entry("closed", "Closed"));
        assertThat(mapping.agencyOnCreated()).isFalse();
        assertThat(mapping.columnsByKey())
                .containsEntry("times.closed", "Closed")
                .containsEntry("fields.district.column", "District")
                .doesNotContainKey("fields.channel.column");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThatThrownBy(() -> MappingLoader.load(Path.of("/nonexistent/m.yaml")))
                .isInstanceOf(MappingException.class)
                .hasMessage("/nonexistent/m.yaml: no such file");
    }

    @Test
    void namesAnUnknownKeyWithItsPath() {
        assertError(
                        VALID.replace(
                                "  channel: {constant: HOTLINE}", "  chanel: {constant: HOTLINE}"))
                .hasMessageContaining("m.yaml: fields.chanel: unknown key")
                .hasMessageContaining("channel");
        assertError(VALID + "timezone: UTC\n").hasMessageContaining("timezone: unknown key");
        assertError(VALID.replace("transform: slug", "transform: slug, tmplate: x"))
                .hasMessageContaining("fields.categoryCode.tmplate: unknown key");
    }

    @Test
    void namesAMissingRequiredKey() {
        assertKey(VALID.replace("source: test\n", ""), "source");
        assertKey(VALID.replace("  created: Created\n", ""), "times.created");
        assertKey(
                VALID.replace("  district: {column: District, default: Unknown}\n", ""),
                "fields.district");
        assertKey(VALID.replace("timeZone: America/New_York\n", ""), "timeZone");
    }

    @Test
    void rejectsBadZonesFormatsAndSources() {
        assertKey(VALID.replace("America/New_York", "America/Gotham"), "timeZone")
                .hasMessageContaining("unknown time zone 'America/Gotham'");
        assertKey(VALID.replace("\"yyyy-MM-dd HH:mm\"", "\"yyyy-MM-dd {\""), "timeFormat");
        assertKey(VALID.replace("source: test", "source: \"my source\""), "source");
        assertKey(VALID + "kind: complaints\n", "kind");
    }

    @Test
    void checksTheValuesOfTypedFields() {
        assertKey(VALID + "  urgency: {constant: URGENT}\n", "fields.urgency")
                .hasMessageContaining("'URGENT' is not GENERAL or EMERGENCY");
        assertKey(
                VALID + "  urgency: {column: Type, map: {Fire: SOON}, default: GENERAL}\n",
                "fields.urgency");
        assertKey(VALID + "  expedited: {constant: maybe}\n", "fields.expedited");
    }

    @Test
    void asksForQuotesWhenYamlReadsAValueAsABoolean() {
        assertKey(VALID + "  street: {column: S, map: {Y: yes}}\n", "fields.street.map.Y")
                .hasMessageContaining("put the value in quotes");
        assertThat(parses(VALID + "  street: {column: S, map: {Y: \"yes\"}}\n")).isTrue();
        assertThat(parses(VALID + "  expedited: {column: E, map: {Y: yes}, default: false}\n"))
                .isTrue();
    }

    @Test
    void sameAsMustNameAFieldMappedBefore() {
        assertKey(
                        VALID.replace("sameAs: categoryCode", "sameAs: district"),
                        "fields.categoryMajor.sameAs")
                .hasMessageContaining("not a field mapped before categoryMajor");
    }

    @Test
    void aRuleTakesExactlyOneSource() {
        assertKey(
                VALID.replace("{constant: HOTLINE}", "{constant: HOTLINE, column: Channel}"),
                "fields.channel");
        assertKey(VALID.replace("{constant: HOTLINE}", "{default: HOTLINE}"), "fields.channel");
        assertKey(
                        VALID.replace("{constant: HOTLINE}", "{constant: HOTLINE, default: X}"),
                        "fields.channel")
                .hasMessageContaining("a constant takes no map");
    }

    @Test
    void rejectsMalformedValues() {
        assertKey(
                VALID.replace("{constant: HOTLINE}", "{column: C, map: [a, b]}"),
                "fields.channel.map");
        assertKey(
                VALID.replace("{constant: HOTLINE}", "{column: C, template: \"CH-\"}"),
                "fields.channel.template");
        assertKey(
                VALID.replace("{constant: HOTLINE}", "{column: C, transform: camel}"),
                "fields.channel.transform");
        assertKey(
                VALID.replace("{constant: HOTLINE}", "{column: C, keepUnmapped: true}"),
                "fields.channel.keepUnmapped");
        assertKey(VALID + "csv: {delimiter: \";;\"}\n", "csv.delimiter");
        assertKey(VALID + "csv: {encoding: klingon}\n", "csv.encoding");
    }

    @Test
    void aDuplicateMapKeyIsAnError() {
        assertError(
                        VALID.replace(
                                "{\"SW-*\": SANITATION}",
                                "{\"SW-*\": SANITATION, \"SW-*\": WATER}"))
                .hasMessageContaining("not valid YAML")
                .hasMessageContaining("SW-*");
    }

    @Test
    void emptyOrNonYamlFilesAreErrors() {
        assertError("").hasMessageContaining("the file is empty");
        assertError("source: [unclosed").hasMessageContaining("not valid YAML");
        assertError("- a\n- b\n").hasMessageContaining("expected a map");
    }

    @Test
    void leadMappingsHaveTheirOwnFieldsAndNoAgency() {
        String leads =
                """
                kind: leads
                source: l
                timeFormat: iso
                timeZone: Asia/Shanghai
                times: {captured: At}
                fields:
                  leadId: Id
                  platform: P
                  categoryCode: C
                  categoryMajor: {sameAs: categoryCode}
                """;
        assertThat(parses(leads)).isTrue();
        assertKey(leads + "agencyOnCreated: true\n", "agencyOnCreated");
        assertKey(leads.replace("captured: At", "created: At"), "times.created");
        assertKey(leads + "  outcome: {constant: MAYBE}\n", "fields.outcome");
    }

    private static boolean parses(String yaml) {
        try {
            MappingLoader.parse(yaml, "m.yaml");
            return true;
        } catch (MappingException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertError(String yaml) {
        return assertThatThrownBy(() -> MappingLoader.parse(yaml, "m.yaml"))
                .isInstanceOf(MappingException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertKey(
            String yaml, String key) {
        AbstractThrowableAssert<?, ? extends Throwable> error = assertError(yaml);
        error.satisfies(e -> assertThat(((MappingException) e).key()).isEqualTo(key));
        return error.hasMessageStartingWith("m.yaml: " + key + ": ");
    }
}
