package io.citypulse.notify;

import io.citypulse.avro.DeadLetter;
import io.citypulse.avro.HotspotAlert;

/**
 * What the alerts source emits for each Kafka record: the decoded alert, or the dead letter saying
 * why it could not be used. Exactly one of {@link #alert} and {@link #rejected} is set.
 */
public class AlertEnvelope {

    public HotspotAlert alert;
    public DeadLetter rejected;
    public String topic;
    public int partition;
    public long offset;

    public AlertEnvelope() {}

    public static AlertEnvelope accepted(
            HotspotAlert alert, String topic, int partition, long offset) {
        AlertEnvelope e = new AlertEnvelope();
        e.alert = alert;
        e.topic = topic;
        e.partition = partition;
        e.offset = offset;
        return e;
    }

    public static AlertEnvelope rejected(DeadLetter deadLetter) {
        AlertEnvelope e = new AlertEnvelope();
        e.rejected = deadLetter;
        e.topic = deadLetter.getSourceTopic();
        e.partition = deadLetter.getSourcePartition();
        e.offset = deadLetter.getSourceOffset();
        return e;
    }
}
