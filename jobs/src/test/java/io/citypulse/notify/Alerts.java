package io.citypulse.notify;

import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertScope;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.avro.NamedCount;
import java.time.Instant;
import java.util.List;

/** Test alerts with named instants, built from one realistic default. */
final class Alerts {

    /** 2026-11-02 10:00 Shanghai time. */
    static final Instant TEN_AM = Instant.parse("2026-11-02T02:00:00Z");

    static final Instant FIVE_MINUTES_LATER = TEN_AM.plusSeconds(300);

    private Alerts() {}

    /** A SPIKE in NOISE in Futian, OPENED at 10:00. */
    static HotspotAlert.Builder noiseInFutian() {
        return HotspotAlert.newBuilder()
                .setAlertId("a-noise-futian")
                .setState(AlertState.OPENED)
                .setLevel(AlertLevel.SPIKE)
                .setRevision(0)
                .setEventTime(TEN_AM)
                .setOpenedAt(TEN_AM)
                .setScope(AlertScope.DISTRICT)
                .setCategoryMajor("NOISE")
                .setCategoryCode(null)
                .setDistrict("Futian")
                .setLeadDriven(false)
                .setTicketsElevated(true)
                .setLeadsElevated(false)
                .setWindowStart(TEN_AM.minusSeconds(3600))
                .setWindowEnd(TEN_AM)
                .setObserved(43)
                .setExpected(7.8)
                .setScore(11.9)
                .setTicketObserved(43)
                .setTicketExpected(7.8)
                .setLeadObserved(0)
                .setLeadExpected(0.0)
                .setExcessTickets(35.2)
                .setDaysElevated(1)
                .setTopItems(
                        List.of(
                                new NamedCount("NOISE-CONSTRUCTION", 20L),
                                new NamedCount("NOISE-NEIGHBOURHOOD", 9L)))
                .setTopStreets(List.of(new NamedCount("华富街道", 12L)))
                .setTopDistricts(List.of(new NamedCount("Futian", 43L)))
                .setTopAgencies(List.of(new NamedCount("URBAN_MANAGEMENT", 30L)))
                .setLeadFingerprints(List.of())
                .setParentAlertId(null)
                .setSummaryZh("福田区噪声类工单激增：近一小时 43 件，常态约 7.8 件")
                .setSummaryEn("Noise tickets in Futian spike: 43 in the last hour, usually 7.8");
    }

    /** A city-wide CATEGORY alert (no district). */
    static HotspotAlert.Builder trafficCityWide() {
        return noiseInFutian()
                .setAlertId("a-traffic-city")
                .setScope(AlertScope.CATEGORY)
                .setCategoryMajor("TRAFFIC")
                .setDistrict(null)
                .setSummaryZh("全市交通类工单激增")
                .setSummaryEn("Traffic tickets spike city-wide");
    }
}
