package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventTimeIndexTest {

    @Test
    void shouldHoldEachTimeAndKeyOnceAndGiveDueTimesInOrder() {
        EventTimeIndex<String> index = new EventTimeIndex<>();
        index.register(20, "a");
        index.register(10, "a");
        index.register(10, "b");
        index.register(10, "a"); // again: held once
        index.register(30, "c");
        assertThat(index.size()).isEqualTo(4);

        assertThat(index.pollDue(9)).as("nothing due before 10").isNull();
        Map.Entry<Long, Set<String>> first = index.pollDue(20);
        assertThat(first.getKey()).isEqualTo(10L);
        assertThat(first.getValue()).containsExactlyInAnyOrder("a", "b");
        Map.Entry<Long, Set<String>> second = index.pollDue(20);
        assertThat(second.getKey()).as("a time equal to the watermark is due").isEqualTo(20L);
        assertThat(second.getValue()).containsExactly("a");
        assertThat(index.pollDue(20)).isNull();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldForgetDeletedTimersAndCountOnlyThoseItHeld() {
        EventTimeIndex<String> index = new EventTimeIndex<>();
        index.register(10, "a");
        index.register(10, "b");
        index.delete(10, "a");
        index.delete(10, "x"); // never registered: no change
        index.delete(99, "a");
        assertThat(index.size()).isEqualTo(1);
        index.delete(10, "b");
        assertThat(index.size()).isZero();
        assertThat(index.pollDue(Long.MAX_VALUE)).isNull();
    }

    @Test
    void shouldGiveATimeRegisteredWhileFiringInTheSamePassWhenItIsDue() {
        EventTimeIndex<String> index = new EventTimeIndex<>();
        index.register(10, "a");
        long watermark = 50;
        StringBuilder fired = new StringBuilder();
        Map.Entry<Long, Set<String>> due;
        while ((due = index.pollDue(watermark)) != null) {
            fired.append(due.getKey()).append(' ');
            if (due.getKey() == 10) {
                index.register(40, "a"); // due before the watermark: fires now
                index.register(60, "a"); // after it: waits
            }
        }
        assertThat(fired.toString()).isEqualTo("10 40 ");
        assertThat(index.size()).isEqualTo(1);
    }
}
