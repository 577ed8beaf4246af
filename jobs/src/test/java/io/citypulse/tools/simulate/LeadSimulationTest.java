package io.citypulse.tools.simulate;

import static io.citypulse.tools.simulate.SimulationRuns.MONDAY;
import static io.citypulse.tools.simulate.SimulationRuns.byLead;
import static io.citypulse.tools.simulate.SimulationRuns.byTicket;
import static io.citypulse.tools.simulate.SimulationRuns.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.citypulse.avro.LeadEvent;
import io.citypulse.avro.LeadEventType;
import io.citypulse.avro.TicketEvent;
import io.citypulse.avro.TicketEventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lead stream of a four-day run at ten times the default lead rate (~20,000 leads, no citizens'
 * tickets), and the tickets the valid leads were converted to.
 */
class LeadSimulationTest {

    private static CollectingSink run;
    private static Map<String, List<LeadEvent>> leads;
    private static Map<String, List<TicketEvent>> tickets;

    @BeforeAll
    static void simulateLeads() {
        SimulationSettings settings = defaults().withRates(0, 5000);
        run = SimulationRuns.collect(42, MONDAY, Duration.ofDays(4), settings);
        leads = byLead(run.leads());
        tickets = byTicket(run.tickets());
    }

    @Test
    void leadsPerDayIsTheAverageNumberOfCaptures() {
        long captured = count(LeadEventType.CAPTURED);
        // Expected 20,000 (less a few reposts captured after the end); captures are clustered by
        // post, so the standard deviation is ~200.
        assertThat(captured).isBetween(19_000L, 20_800L);
    }

    @Test
    void aboutFourPercentOfVerifiedLeadsAreValid() {
        long valid = count(LeadEventType.VERIFIED_VALID);
        long invalid = count(LeadEventType.VERIFIED_INVALID);
        // ~20,000 verified leads: one standard deviation of the share is ~0.14 percentage points.
        assertThat((double) valid / (valid + invalid))
                .isCloseTo(defaults().leadValidShare(), within(0.006));
    }

    @Test
    void everyLeadIsCapturedThenVerifiedAndOnlyValidOnesAreConverted() {
        leads.forEach(
                (id, lifecycle) -> {
                    assertThat(lifecycle.get(0).getType()).as(id).isEqualTo(LeadEventType.CAPTURED);
                    if (lifecycle.size() > 1) {
                        assertThat(lifecycle.get(1).getType())
                                .as(id)
                                .isIn(LeadEventType.VERIFIED_VALID, LeadEventType.VERIFIED_INVALID);
                    }
                    if (lifecycle.size() > 2) {
                        assertThat(lifecycle.get(1).getType())
                                .isEqualTo(LeadEventType.VERIFIED_VALID);
                        assertThat(lifecycle.get(2).getType()).isEqualTo(LeadEventType.CONVERTED);
                    }
                    assertThat(lifecycle).hasSizeLessThanOrEqualTo(3);
                    for (int i = 0; i < lifecycle.size(); i++) {
                        LeadEvent e = lifecycle.get(i);
                        assertThat(e.getEventId()).isEqualTo(id + "#" + (i + 1));
                        assertThat(e.getPlatform()).isEqualTo(lifecycle.get(0).getPlatform());
                        assertThat(e.getContentFingerprint())
                                .isEqualTo(lifecycle.get(0).getContentFingerprint());
                        assertThat(e.getCategoryCode())
                                .isEqualTo(lifecycle.get(0).getCategoryCode());
                        assertThat(e.getDistrict()).isEqualTo(lifecycle.get(0).getDistrict());
                        assertThat(e.getTicketId() != null)
                                .isEqualTo(e.getType() == LeadEventType.CONVERTED);
                        if (i > 0) {
                            assertThat(e.getEventTime())
                                    .isAfter(lifecycle.get(i - 1).getEventTime());
                        }
                    }
                });
    }

    @Test
    void convertedLeadsPointToLeadTicketsThatExist() {
        List<LeadEvent> converted =
                run.leads().stream().filter(e -> e.getType() == LeadEventType.CONVERTED).toList();
        assertThat(converted).hasSizeGreaterThan(500);
        for (LeadEvent lead : converted) {
            List<TicketEvent> ticket = tickets.get(lead.getTicketId());
            assertThat(ticket).as(lead.getLeadId()).isNotNull();
            TicketEvent created = ticket.get(0);
            assertThat(created.getType()).isEqualTo(TicketEventType.CREATED);
            assertThat(created.getChannel()).isEqualTo("LEAD");
            assertThat(created.getSourceLeadId()).isEqualTo(lead.getLeadId());
            assertThat(created.getEventTime()).isEqualTo(lead.getEventTime());
            assertThat(created.getCategoryCode()).isEqualTo(lead.getCategoryCode());
            if (lead.getDistrict() != null) {
                assertThat(created.getDistrict()).isEqualTo(lead.getDistrict());
            }
        }
        // And the other way round: every ticket here came from a converted lead.
        Set<String> convertedTickets =
                converted.stream().map(LeadEvent::getTicketId).collect(Collectors.toSet());
        assertThat(tickets.keySet()).isEqualTo(convertedTickets);
    }

    @Test
    void repostsShareAFingerprintOnDistinctPlatformsAndOnlyTheFirstCanBeValid() {
        Map<String, List<List<LeadEvent>>> byFingerprint =
                leads.values().stream()
                        .collect(Collectors.groupingBy(l -> l.get(0).getContentFingerprint()));
        long reposted = byFingerprint.values().stream().filter(g -> g.size() > 1).count();
        assertThat((double) reposted / byFingerprint.size())
                .isCloseTo(defaults().leadRepostShare(), within(0.02));
        for (List<List<LeadEvent>> group : byFingerprint.values()) {
            assertThat(group.stream().map(l -> l.get(0).getPlatform()).distinct().count())
                    .isEqualTo(group.size());
            for (List<LeadEvent> repost : group.subList(1, group.size())) {
                assertThat(repost).noneMatch(e -> e.getType() == LeadEventType.VERIFIED_VALID);
                assertThat(repost.get(0).getEventTime())
                        .isAfter(group.get(0).get(0).getEventTime());
            }
        }
    }

    @Test
    void consumerTrafficAndLabourAreEachSixToTenPercentOfLeads() {
        List<LeadEvent> captured =
                run.leads().stream().filter(e -> e.getType() == LeadEventType.CAPTURED).toList();
        Map<String, Long> byMajor =
                captured.stream()
                        .collect(
                                Collectors.groupingBy(
                                        LeadEvent::getCategoryMajor, Collectors.counting()));
        for (String major : List.of("CONSUMER", "TRAFFIC", "LABOUR")) {
            assertThat((double) byMajor.get(major) / captured.size())
                    .as(major)
                    .isBetween(0.06, 0.10);
        }
    }

    @Test
    void leadsComeFromTheWatchedPlatforms() {
        Set<String> platforms =
                run.leads().stream().map(LeadEvent::getPlatform).collect(Collectors.toSet());
        assertThat(CityModel.shenzhen().platformWeights().keySet()).containsAll(platforms);
        assertThat(platforms).hasSize(CityModel.shenzhen().platformWeights().size());
    }

    @Test
    void confidenceIsAProbabilityAndValidLeadsAreMoreConfident() {
        double validMean = meanConfidence(LeadEventType.VERIFIED_VALID);
        double invalidMean = meanConfidence(LeadEventType.VERIFIED_INVALID);
        assertThat(run.leads())
                .allMatch(
                        e -> e.getClassifierConfidence() >= 0 && e.getClassifierConfidence() <= 1);
        assertThat(validMean).isGreaterThan(invalidMean);
    }

    private static double meanConfidence(LeadEventType type) {
        return run.leads().stream()
                .filter(e -> e.getType() == type)
                .mapToDouble(LeadEvent::getClassifierConfidence)
                .average()
                .orElseThrow();
    }

    private static long count(LeadEventType type) {
        return run.leads().stream().filter(e -> e.getType() == type).count();
    }
}
