package io.citypulse.tools.importcsv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldRuleTest {

    @Test
    void exactKeysWinOverPatternsAndPatternsApplyInFileOrder() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("HLTH-Food*", "CONSUMER");
        map.put("HLTH-*", "ENVIRONMENT");
        map.put("HLTH-EV Noise", "NOISE");
        FieldRule rule = rule(map, "OTHER", false, FieldRule.Transform.NONE, null);
        assertThat(rule.apply("HLTH-EV Noise").value()).isEqualTo("NOISE");
        assertThat(rule.apply("HLTH-Food Facility Complaint").value()).isEqualTo("CONSUMER");
        assertThat(rule.apply("HLTH-EV Odor").value()).isEqualTo("ENVIRONMENT");
        assertThat(rule.apply("SW-Dirty Alley").value()).isEqualTo("OTHER");
        assertThat(rule.apply("  HLTH-EV Noise ").value()).isEqualTo("NOISE");
    }

    @Test
    void anUnmappedValueWithoutDefaultIsFlaggedAndAnEmptyCellHasNoValue() {
        FieldRule rule =
                rule(Map.of("Phone", "HOTLINE"), null, false, FieldRule.Transform.NONE, null);
        assertThat(rule.apply("Phone")).isEqualTo(new FieldRule.Result("HOTLINE", false));
        assertThat(rule.apply("Pigeon")).isEqualTo(FieldRule.Result.UNMAPPED);
        assertThat(rule.apply("")).isEqualTo(FieldRule.Result.NONE);
        assertThat(rule.apply(null)).isEqualTo(FieldRule.Result.NONE);
    }

    @Test
    void theEmptyKeyMapsEmptyCells() {
        FieldRule rule =
                rule(
                        Map.of("", "PENDING", "valid", "VALID"),
                        null,
                        false,
                        FieldRule.Transform.NONE,
                        null);
        assertThat(rule.apply(" ").value()).isEqualTo("PENDING");
    }

    @Test
    void withoutAMapValuesAreKeptTransformedAndTemplatedAndTheDefaultFillsEmptyCells() {
        FieldRule district =
                rule(Map.of(), "Unknown", false, FieldRule.Transform.NONE, "Council District {}");
        assertThat(district.apply("9").value()).isEqualTo("Council District 9");
        assertThat(district.apply("").value()).isEqualTo("Unknown");
        FieldRule code = rule(Map.of(), null, false, FieldRule.Transform.SLUG, null);
        assertThat(code.apply("SW-Dirty Alley").value()).isEqualTo("SW-DIRTY-ALLEY");
        assertThat(code.apply("TRM-(Handicap) Sidewalk Ramp Concern (Repair)").value())
                .isEqualTo("TRM-HANDICAP-SIDEWALK-RAMP-CONCERN-REPAIR");
    }

    @Test
    void keepUnmappedPassesNewValuesThroughInsteadOfTheDefault() {
        FieldRule rule =
                rule(Map.of("Call", "HOTLINE"), "OTHER", true, FieldRule.Transform.SNAKE, null);
        assertThat(rule.apply("Call").value()).isEqualTo("HOTLINE");
        assertThat(rule.apply("Council's Office").value()).isEqualTo("COUNCILS_OFFICE");
        assertThat(rule.apply("").value()).isEqualTo("OTHER");
    }

    @Test
    void transformsKeepNonLatinLettersAndDropApostrophes() {
        assertThat(FieldRule.Transform.SNAKE.apply("Recreation & Parks"))
                .isEqualTo("RECREATION_PARKS");
        assertThat(FieldRule.Transform.SNAKE.apply("Mayor's Office")).isEqualTo("MAYORS_OFFICE");
        assertThat(FieldRule.Transform.SLUG.apply("噪音 - 建筑施工")).isEqualTo("噪音-建筑施工");
        assertThat(FieldRule.Transform.UPPER.apply("Bulky Items")).isEqualTo("BULKY ITEMS");
        assertThat(FieldRule.Transform.LOWER.apply("Bulky Items")).isEqualTo("bulky items");
    }

    @Test
    void aConstantIgnoresItsInput() {
        assertThat(FieldRule.constant("GENERAL").apply("anything").value()).isEqualTo("GENERAL");
    }

    private static FieldRule rule(
            Map<String, String> map,
            String defaultValue,
            boolean keepUnmapped,
            FieldRule.Transform transform,
            String template) {
        return new FieldRule(
                "col", null, null, map, defaultValue, keepUnmapped, transform, template);
    }
}
