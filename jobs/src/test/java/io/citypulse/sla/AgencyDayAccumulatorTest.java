package io.citypulse.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.sla.records.AgencyDayAccumulator;
import io.citypulse.sla.records.AgencyFact;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgencyDayAccumulatorTest {

    private static AgencyFact fact(String urgency, long latencyMs) {
        return new AgencyFact(
                "transport", 20_000, urgency, latencyMs, false, false, true, AgencyFact.PENDING);
    }

    /**
     * The nearest-rank percentile by its definition, not by the rank formula: the smallest value
     * with at least {@code percent}% of all values at or below it.
     */
    private static Long oraclePercentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        for (int i = 0; i < sorted.size(); i++) {
            if ((i + 1) * 100L >= (long) percent * sorted.size()) {
                return sorted.get(i);
            }
        }
        return null;
    }

    private static void assertLatenciesAre(
            AgencyDayAccumulator acc, List<Long> emergency, List<Long> general) {
        assertThat(acc.latencyCount(true)).isEqualTo(emergency.size());
        assertThat(acc.latencyCount(false)).isEqualTo(general.size());
        for (int p = 1; p <= 100; p++) {
            assertThat(acc.latencyPercentile(true, p))
                    .as("EMERGENCY p%d", p)
                    .isEqualTo(oraclePercentile(emergency, p));
            assertThat(acc.latencyPercentile(false, p))
                    .as("GENERAL p%d", p)
                    .isEqualTo(oraclePercentile(general, p));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldKeepEveryLatencyOfRandomAddsAndRetractionsAgainstAPlainList(long seed) {
        Random random = new Random(seed);
        AgencyDayAccumulator acc = new AgencyDayAccumulator();
        List<Long> emergency = new ArrayList<>();
        List<Long> general = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            boolean isEmergency = random.nextInt(4) == 0;
            List<Long> values = isEmergency ? emergency : general;
            String urgency = isEmergency ? "EMERGENCY" : "GENERAL";
            if (!values.isEmpty() && random.nextInt(3) == 0) {
                // Retract a fact added before: one of the equal values goes.
                Long gone = values.remove(random.nextInt(values.size()));
                acc.apply(-1, fact(urgency, gone));
            } else {
                // Few distinct values, so that equal latencies are common.
                long latency = random.nextInt(200) * 60_000L;
                values.add(latency);
                acc.apply(1, fact(urgency, latency));
            }
            if (i % 250 == 0) {
                assertLatenciesAre(acc, emergency, general);
            }
        }
        assertLatenciesAre(acc, emergency, general);
        assertThat(acc.ticketsDispatched).isEqualTo(emergency.size() + general.size());
    }

    @Test
    void shouldLeaveTheLatenciesAsTheyWereWhenARetractedValueIsNotThere() {
        AgencyDayAccumulator acc = new AgencyDayAccumulator();
        acc.apply(1, fact("GENERAL", 10));
        acc.apply(1, fact("GENERAL", 30));
        acc.apply(-1, fact("GENERAL", 20));
        assertLatenciesAre(acc, List.of(), List.of(10L, 30L));
    }

    @Test
    void shouldTakeOverTheBoxedListsOfAnOlderSavepoint() {
        // The state of a savepoint before the arrays holds only the lists.
        AgencyDayAccumulator acc = new AgencyDayAccumulator();
        acc.ticketsDispatched = 3;
        acc.emergencyLatencies = new ArrayList<>(List.of(5L, 9L));
        acc.generalLatencies = List.of(4L);
        assertLatenciesAre(acc, List.of(5L, 9L), List.of(4L));
        assertThat(acc.emergencyLatencies).isNull();
        assertThat(acc.generalLatencies).isNull();

        AgencyDayAccumulator changed = new AgencyDayAccumulator();
        changed.emergencyLatencies = new ArrayList<>(List.of(5L, 9L));
        changed.generalLatencies = new ArrayList<>(List.of(4L));
        changed.apply(1, fact("EMERGENCY", 7));
        changed.apply(-1, fact("GENERAL", 4));
        assertLatenciesAre(changed, List.of(5L, 7L, 9L), List.of());
    }

    @Test
    void shouldKeepOnlyTheCountedLatenciesThroughItsSerializer() throws Exception {
        TypeSerializer<AgencyDayAccumulator> serializer =
                TypeInformation.of(AgencyDayAccumulator.class)
                        .createSerializer(new SerializerConfigImpl());
        AgencyDayAccumulator acc = new AgencyDayAccumulator();
        for (long latency : new long[] {30, 10, 20, 40, 50}) {
            acc.apply(1, fact("EMERGENCY", latency));
        }
        acc.apply(-1, fact("EMERGENCY", 50));
        acc.apply(1, fact("GENERAL", 15));

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(acc, out);
        AgencyDayAccumulator read =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertLatenciesAre(read, List.of(10L, 20L, 30L, 40L), List.of(15L));
        read.apply(1, fact("EMERGENCY", 25));
        assertLatenciesAre(read, List.of(10L, 20L, 25L, 30L, 40L), List.of(15L));
        // The copy the write-back cache takes does not share the arrays.
        AgencyDayAccumulator copy = serializer.copy(read);
        copy.apply(1, fact("EMERGENCY", 1));
        assertLatenciesAre(read, List.of(10L, 20L, 25L, 30L, 40L), List.of(15L));
    }
}
