package io.citypulse.sqlbaseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link LocalClockWatermarks} in Flink's operator harness. */
class LocalClockWatermarksTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** 2026-11-02 23:59 in Shanghai is 15:59 UTC. */
    private static final Instant BEFORE_LOCAL_MIDNIGHT = Instant.parse("2026-11-02T15:59:00Z");

    private static long wallClockMillis(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Test
    void shouldMoveWatermarksOntoTheWallClockAndPassRecordsUnchanged() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new LocalClockWatermarks<>(SHANGHAI))) {
            harness.open();
            long t = BEFORE_LOCAL_MIDNIGHT.toEpochMilli();
            harness.processElement(new StreamRecord<>("a", t));
            harness.processWatermark(new Watermark(t));
            harness.processWatermark(new Watermark(t + 60_000));

            assertThat(harness.extractOutputValues()).containsExactly("a");
            assertThat(harness.getOutput().peek())
                    .as("the record keeps its timestamp")
                    .isEqualTo(new StreamRecord<>("a", t));
            List<Long> marks =
                    harness.getOutput().stream()
                            .filter(o -> o instanceof Watermark)
                            .map(o -> ((Watermark) o).getTimestamp())
                            .toList();
            assertThat(marks)
                    .containsExactly(
                            wallClockMillis("2026-11-02T23:59:00"),
                            wallClockMillis("2026-11-03T00:00:00"));
        }
    }

    @Test
    void shouldKeepTheEndOfInputAndNeverMoveBackAcrossAFallBack() throws Exception {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 2026-11-01 01:59 EDT (05:59Z), then 01:00 EST (06:00Z) on the wall clock.
        long beforeFallBack = Instant.parse("2026-11-01T05:59:00Z").toEpochMilli();
        long afterFallBack = Instant.parse("2026-11-01T06:00:00Z").toEpochMilli();
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new LocalClockWatermarks<>(newYork))) {
            harness.open();
            harness.processWatermark(new Watermark(beforeFallBack));
            harness.processWatermark(new Watermark(afterFallBack));
            harness.processWatermark(Watermark.MAX_WATERMARK);

            List<Long> marks =
                    harness.getOutput().stream().map(o -> ((Watermark) o).getTimestamp()).toList();
            assertThat(marks)
                    .containsExactly(wallClockMillis("2026-11-01T01:59:00"), Long.MAX_VALUE);
        }
    }
}
