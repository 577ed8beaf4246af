package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointGateTest {

    @Test
    void shouldRunAtMostPermitsTasksAndHandFreedPermitsOnInArrivalOrder() {
        List<String> ran = new ArrayList<>();
        EndpointGate gate = new EndpointGate(2, Runnable::run);

        gate.acquire(() -> ran.add("a"));
        gate.acquire(() -> ran.add("b"));
        gate.acquire(() -> ran.add("c"));
        gate.acquire(() -> ran.add("d"));
        assertThat(ran).containsExactly("a", "b");
        assertThat(gate.inUse()).isEqualTo(2);
        assertThat(gate.waiting()).isEqualTo(2);

        gate.release();
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(gate.inUse()).as("the permit passed straight on").isEqualTo(2);

        gate.release();
        gate.release();
        gate.release();
        assertThat(ran).containsExactly("a", "b", "c", "d");
        assertThat(gate.inUse()).isZero();
        assertThat(gate.waiting()).isZero();
    }
}
