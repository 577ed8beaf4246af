package io.citypulse.notify;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** What travels between operators and sits in checkpoints is serialized as POJOs, not by Kryo. */
class NotifierRecordsTest {

    @Test
    void shouldSerializeStreamRecordsAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Delivery.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeliveryOutcome.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FailedDelivery.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AlertEnvelope.class);
    }
}
