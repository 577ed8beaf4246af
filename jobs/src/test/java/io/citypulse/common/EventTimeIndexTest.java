package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        Map.Entry<Long, java.util.Collection<String>> first = index.pollDue(20);
        assertThat(first.getKey()).isEqualTo(10L);
        assertThat(first.getValue()).containsExactlyInAnyOrder("a", "b");
        Map.Entry<Long, java.util.Collection<String>> second = index.pollDue(20);
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
        Map.Entry<Long, java.util.Collection<String>> due;
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

    /**
     * Random registers, appends (of pairs not held), deletes and polls against the plainest model
     * of Flink's timers: a sorted set of (time, key) pairs. Few times and keys, so times held by
     * one key, by several, and going from one to several and back all occur. Times come near the
     * watermark, behind it (due at the next poll) and far ahead, from a start below zero. The index
     * runs as one sorted tree ({@code -1}) and bucketed, with buckets of 1, 4 and 32 ms and those
     * of {@link EventTimeIndex#bucketed()} (about 70 minutes): later times wait in their bucket's
     * map and move into the sorted tree when a watermark reaches the bucket, also while a time is
     * deleted or registered again there, and must still come out in order. The same with the
     * buckets as lists ({@code lists}, and {@link EventTimeIndex#bucketedInLists()} at 22).
     */
    @ParameterizedTest
    @CsvSource({
        "-1, maps",
        "0, maps",
        "2, maps",
        "5, maps",
        "22, maps",
        "0, lists",
        "2, lists",
        "5, lists",
        "22, lists"
    })
    void shouldAgreeWithASortedSetOfTimeKeyPairs(int bucketShift, String buckets) {
        Comparator<Timer> order = Comparator.comparingLong(Timer::time).thenComparing(Timer::key);
        boolean lists = buckets.equals("lists");
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            EventTimeIndex<String> index =
                    bucketShift == -1
                            ? new EventTimeIndex<>()
                            : bucketShift == 22
                                    ? (lists
                                            ? EventTimeIndex.bucketedInLists()
                                            : EventTimeIndex.bucketed())
                                    : new EventTimeIndex<>(bucketShift, lists);
            TreeSet<Timer> model = new TreeSet<>(order);
            long watermark = -200;
            for (int step = 0; step < 2_000; step++) {
                int where = random.nextInt(10);
                long time =
                        where == 0
                                ? watermark - random.nextInt(6)
                                : where == 1
                                        ? watermark + random.nextInt(300)
                                        : watermark + random.nextInt(12);
                String key = "k" + random.nextInt(5);
                int op = random.nextInt(10);
                if (op < 5) {
                    if (op == 4 && !model.contains(new Timer(time, key))) {
                        index.append(time, key); // the caller's promise: not held
                    } else {
                        index.register(time, key);
                    }
                    model.add(new Timer(time, key));
                } else if (op < 8) {
                    index.delete(time, key);
                    model.remove(new Timer(time, key));
                } else {
                    watermark += random.nextInt(4);
                    assertThat(poll(index, watermark))
                            .as("seed %d step %d", seed, step)
                            .isEqualTo(due(model, watermark));
                }
                assertThat(index.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
            }
            assertThat(poll(index, Long.MAX_VALUE))
                    .as("seed %d at the end", seed)
                    .isEqualTo(due(model, Long.MAX_VALUE));
            assertThat(index.size()).isZero();
        }
    }

    private record Timer(long time, String key) {}

    /** What the index fires up to the watermark, in its order, keys of one time sorted. */
    private static List<String> poll(EventTimeIndex<String> index, long watermark) {
        List<String> fired = new ArrayList<>();
        Map.Entry<Long, java.util.Collection<String>> due;
        while ((due = index.pollDue(watermark)) != null) {
            for (String k : new TreeSet<>(due.getValue())) {
                fired.add(due.getKey() + " " + k);
            }
        }
        return fired;
    }

    /** The model's pairs up to the watermark, removed, in (time, key) order. */
    private static List<String> due(TreeSet<Timer> model, long watermark) {
        List<String> expected = new ArrayList<>();
        while (!model.isEmpty() && model.first().time() <= watermark) {
            Timer first = model.pollFirst();
            expected.add(first.time() + " " + first.key());
        }
        return expected;
    }
}
