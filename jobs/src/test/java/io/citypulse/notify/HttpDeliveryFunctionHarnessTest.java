package io.citypulse.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.citypulse.testutils.TestReceiver;
import io.citypulse.testutils.TestReceiver.Reply;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HttpDeliveryFunction} in Flink's async operator, against a real local receiver. */
@Timeout(60)
class HttpDeliveryFunctionHarnessTest {

    private static OneInputStreamOperatorTestHarness<Delivery, DeliveryOutcome> harness(
            Subscriber subscriber, DeliverySettings settings, long asyncTimeoutMs)
            throws Exception {
        HttpDeliveryFunction function = new HttpDeliveryFunction(List.of(subscriber), settings);
        return new OneInputStreamOperatorTestHarness<>(
                new AsyncWaitOperatorFactory<>(function, asyncTimeoutMs, 10, OutputMode.UNORDERED),
                TypeInformation.of(Delivery.class)
                        .createSerializer(new ExecutionConfig().getSerializerConfig()));
    }

    private static Subscriber webhook(TestReceiver receiver, String path) {
        return new Subscriber(
                "ops", receiver.url(path), Format.WEBHOOK, new Secret("s"), SubscriberFilter.all());
    }

    private static Delivery delivery(Subscriber s, int revision) {
        return MatchSubscribers.delivery(
                Alerts.noiseInFutian().setRevision(revision).build(),
                s,
                ZoneId.of("Asia/Shanghai"));
    }

    @SuppressWarnings("unchecked")
    private static List<DeliveryOutcome> outcomes(
            OneInputStreamOperatorTestHarness<Delivery, DeliveryOutcome> h) {
        return h.getOutput().stream()
                .filter(o -> o instanceof StreamRecord)
                .map(o -> ((StreamRecord<DeliveryOutcome>) o).getValue())
                .toList();
    }

    @Test
    void shouldEmitOneOutcomePerDeliveryDeliveredOrFailed() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.route("/ok", r -> r.attemptOfKey() == 1 ? Reply.status(500) : Reply.ok());
            receiver.route("/refuses", r -> Reply.status(403));
            DeliverySettings settings =
                    new DeliverySettings(
                            3,
                            Duration.ofMillis(5),
                            Duration.ofMillis(20),
                            Duration.ofSeconds(2),
                            2,
                            10);
            Subscriber ok = webhook(receiver, "/ok");
            Subscriber refuses =
                    new Subscriber(
                            "refuses",
                            receiver.url("/refuses"),
                            Format.WEBHOOK,
                            new Secret("s"),
                            SubscriberFilter.all());
            HttpDeliveryFunction function =
                    new HttpDeliveryFunction(List.of(ok, refuses), settings);
            try (OneInputStreamOperatorTestHarness<Delivery, DeliveryOutcome> h =
                    new OneInputStreamOperatorTestHarness<>(
                            new AsyncWaitOperatorFactory<>(
                                    function, 60_000, 10, OutputMode.UNORDERED),
                            TypeInformation.of(Delivery.class)
                                    .createSerializer(
                                            new ExecutionConfig().getSerializerConfig()))) {
                h.open();
                for (int i = 0; i < 3; i++) {
                    h.processElement(new StreamRecord<>(delivery(ok, i)));
                    h.processElement(new StreamRecord<>(delivery(refuses, i)));
                }
                h.endInput();
                List<DeliveryOutcome> out = outcomes(h);
                assertThat(out).hasSize(6);
                assertThat(out.stream().filter(o -> o.delivered))
                        .extracting(o -> o.subscriber, o -> o.attempts)
                        .containsOnly(org.assertj.core.groups.Tuple.tuple("ops", 2))
                        .hasSize(3);
                assertThat(out.stream().filter(o -> !o.delivered))
                        .extracting(o -> o.subscriber, o -> o.status, o -> o.attempts)
                        .containsOnly(org.assertj.core.groups.Tuple.tuple("refuses", 403, 1))
                        .hasSize(3);
            }
        }
    }

    @Test
    void shouldTurnAnAsyncTimeoutIntoAFailedOutcomeInsteadOfAJobFailure() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.route("/hangs", r -> Reply.ok().after(Duration.ofSeconds(30)));
            Subscriber s = webhook(receiver, "/hangs");
            DeliverySettings settings =
                    new DeliverySettings(
                            3,
                            Duration.ofMillis(5),
                            Duration.ofMillis(20),
                            Duration.ofSeconds(20),
                            2,
                            10);
            // An operator timeout far below the retry budget, to force the timeout path.
            try (OneInputStreamOperatorTestHarness<Delivery, DeliveryOutcome> h =
                    harness(s, settings, 1_000)) {
                h.open();
                h.setProcessingTime(0);
                h.processElement(new StreamRecord<>(delivery(s, 0)));
                // Wait (without sleeping) until the request is at the receiver, then let the
                // operator's processing-time timeout fire.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (receiver.requests("/hangs").isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                h.setProcessingTime(1_001);
                h.endInput();
                List<DeliveryOutcome> out = outcomes(h);
                assertThat(out).hasSize(1);
                DeliveryOutcome o = out.get(0);
                assertThat(o.delivered).isFalse();
                assertThat(o.attempts).isEqualTo(1);
                assertThat(o.reason).startsWith("no outcome within the async timeout");
                assertThat(o.endpoint).endsWith("/hangs");
            }
        }
    }
}
