package io.citypulse.hotspot.functions;

import io.citypulse.avro.LeadEvent;
import io.citypulse.counts.CountFact;
import io.citypulse.kafka.LeadEnvelope;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A lead event as a {@link CountFact}: key (categoryMajor, categoryCode, district, platform) and
 * the measure it counts. A lead that could not be located has an empty district.
 */
public final class LeadFacts implements MapFunction<LeadEnvelope, CountFact> {

    private static final long serialVersionUID = 1L;

    public static final List<String> MEASURES =
            List.of("captured", "verified_valid", "verified_invalid", "converted");

    public static final List<String> DIMENSIONS =
            List.of("category_major", "category_code", "district", "platform");

    @Override
    public CountFact map(LeadEnvelope envelope) {
        LeadEvent e = envelope.event;
        String key =
                CountFact.key(
                        e.getCategoryMajor(),
                        e.getCategoryCode(),
                        e.getDistrict(),
                        e.getPlatform());
        int bit =
                switch (e.getType()) {
                    case CAPTURED -> 1;
                    case VERIFIED_VALID -> 1 << 1;
                    case VERIFIED_INVALID -> 1 << 2;
                    case CONVERTED -> 1 << 3;
                    default -> 0;
                };
        return new CountFact(key, e.getEventTime().toEpochMilli(), bit);
    }
}
