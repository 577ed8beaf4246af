package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link StringPool}: one instance per value, up to its capacity, and nothing else changed. */
class StringPoolTest {

    /** A string equal to {@code s} but a distinct object, as a deserializer makes them. */
    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    @Test
    void shouldReturnTheFirstInstanceOfEachValue() {
        StringPool pool = new StringPool(10);
        String first = fresh("Brooklyn");
        assertThat(pool.canonical(first)).isSameAs(first);
        String second = fresh("Brooklyn");
        assertThat(second).isNotSameAs(first);
        assertThat(pool.canonical(second)).isSameAs(first);
        String other = fresh("福田区");
        assertThat(pool.canonical(other)).isSameAs(other);
        assertThat(pool.canonical(fresh("福田区"))).isSameAs(other);
        assertThat(pool.size()).isEqualTo(2);
    }

    @Test
    void shouldLeaveNullAsNull() {
        StringPool pool = new StringPool(10);
        assertThat(pool.canonical(null)).isNull();
        assertThat(pool.size()).isZero();
    }

    @Test
    void shouldStopPoolingAtItsCapacityAndStillReturnEqualValues() {
        StringPool pool = new StringPool(2);
        String a = fresh("a");
        String b = fresh("b");
        pool.canonical(a);
        pool.canonical(b);
        String c = fresh("c");
        assertThat(pool.canonical(c)).isSameAs(c);
        String c2 = fresh("c");
        assertThat(pool.canonical(c2)).as("not pooled: returned as it is").isSameAs(c2);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.canonical(fresh("a"))).as("pooled before it was full").isSameAs(a);
        assertThat(pool.canonical(fresh("b"))).isSameAs(b);
    }

    @Test
    void shouldPoolNothingWithNoCapacityAndRefuseANegativeOne() {
        StringPool none = new StringPool(0);
        String x = fresh("x");
        none.canonical(x);
        String y = fresh("x");
        assertThat(none.canonical(y)).isSameAs(y);
        assertThat(none.size()).isZero();
        assertThatThrownBy(() -> new StringPool(-1)).hasMessageContaining("must not be negative");
    }
}
