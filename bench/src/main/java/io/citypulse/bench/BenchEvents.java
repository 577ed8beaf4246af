package io.citypulse.bench;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import io.citypulse.avro.Urgency;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.CatalogueItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deterministic, realistic-looking events for the benchmarks: catalogue codes, the Shenzhen
 * districts, the usual channels and platforms, a ticket lifecycle mix. A pool of distinct events is
 * cycled through so that no benchmark measures one event that the JIT has learnt by heart.
 */
final class BenchEvents {

    static final int POOL = 4096;

    /** 2026-11-02 08:00 Asia/Shanghai. */
    static final long START = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();

    static final String[] DISTRICTS = {
        "Futian",
        "Luohu",
        "Yantian",
        "Nanshan",
        "Bao'an",
        "Longgang",
        "Longhua",
        "Pingshan",
        "Guangming",
        "Dapeng"
    };

    static final String[] CHANNELS = {"HOTLINE", "APP", "WECHAT", "WEB", "MAILBOX"};

    static final String[] PLATFORMS = {"DOUYIN", "WEIBO", "TOUTIAO", "KUAISHOU", "XIAOHONGSHU"};

    private static final TicketEventType[] TICKET_STEPS = {
        TicketEventType.CREATED,
        TicketEventType.DISPATCHED,
        TicketEventType.ACCEPTED,
        TicketEventType.RESOLVED,
        TicketEventType.CLOSED,
        TicketEventType.CREATED,
        TicketEventType.DISPATCHED,
        TicketEventType.RETURNED,
        TicketEventType.REOPENED
    };

    private BenchEvents() {}

    static List<CatalogueItem> items() {
        return Catalogue.load().items();
    }

    static Set<String> knownCodes() {
        return items().stream().map(CatalogueItem::code).collect(Collectors.toUnmodifiableSet());
    }

    /** {@code n} ticket events, one second apart from {@link #START}. */
    static List<TicketEvent> tickets(int n, long seed) {
        List<CatalogueItem> items = items();
        Random random = new Random(seed);
        List<TicketEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CatalogueItem item = items.get(random.nextInt(Math.min(items.size(), 400)));
            TicketEventType type = TICKET_STEPS[i % TICKET_STEPS.length];
            out.add(
                    TicketEvent.newBuilder()
                            .setEventId("t-" + (i / 9) + "#" + i)
                            .setTicketId("t-" + (i / 9))
                            .setType(type)
                            .setEventTime(Instant.ofEpochMilli(START + i * 1000L))
                            .setChannel(CHANNELS[random.nextInt(CHANNELS.length)])
                            .setCategoryCode(item.code())
                            .setCategoryMajor(item.major())
                            .setDistrict(DISTRICTS[random.nextInt(DISTRICTS.length)])
                            .setStreet("Shennan Road " + random.nextInt(300))
                            .setAgency(type == TicketEventType.CREATED ? null : item.agency())
                            .setUrgency(
                                    random.nextInt(10) == 0 ? Urgency.EMERGENCY : Urgency.GENERAL)
                            .setExpedited(random.nextInt(20) == 0)
                            .build());
        }
        return out;
    }

    /** {@code n} lead events, one second apart from {@link #START}. */
    static List<LeadEvent> leads(int n, long seed) {
        List<CatalogueItem> items = items();
        Random random = new Random(seed);
        LeadEventType[] steps = {
            LeadEventType.CAPTURED,
            LeadEventType.VERIFIED_INVALID,
            LeadEventType.CAPTURED,
            LeadEventType.VERIFIED_VALID,
            LeadEventType.CONVERTED
        };
        List<LeadEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CatalogueItem item = items.get(random.nextInt(Math.min(items.size(), 400)));
            out.add(
                    LeadEvent.newBuilder()
                            .setEventId("l-" + i)
                            .setLeadId("l-" + (i / 2))
                            .setType(steps[i % steps.length])
                            .setEventTime(Instant.ofEpochMilli(START + i * 1000L))
                            .setPlatform(PLATFORMS[random.nextInt(PLATFORMS.length)])
                            .setCategoryCode(item.code())
                            .setCategoryMajor(item.major())
                            .setClassifierConfidence(0.5f + random.nextFloat() / 2)
                            .setDistrict(
                                    random.nextInt(5) == 0
                                            ? null
                                            : DISTRICTS[random.nextInt(DISTRICTS.length)])
                            .setContentFingerprint(Long.toHexString(random.nextLong()))
                            .setEngagement((long) random.nextInt(10_000))
                            .build());
        }
        return out;
    }
}
