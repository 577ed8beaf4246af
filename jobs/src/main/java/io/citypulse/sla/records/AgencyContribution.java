package io.citypulse.sla.records;

import java.util.Objects;

/**
 * A change to one (agency, day) of {@code agency_daily}: add ({@code sign = +1}) or retract ({@code
 * sign = -1}) one ticket's {@link AgencyFact}, as of an event time. Retract-then-add keeps the
 * aggregate exact when a ticket's facts change, without the aggregate keeping per-ticket state.
 */
public class AgencyContribution {

    public int sign;
    public AgencyFact fact;

    /** Event time (ms) as of which the change holds. */
    public long asOf;

    public AgencyContribution() {}

    public AgencyContribution(int sign, AgencyFact fact, long asOf) {
        this.sign = sign;
        this.fact = fact;
        this.asOf = asOf;
    }

    public static AgencyContribution add(AgencyFact fact, long asOf) {
        return new AgencyContribution(1, fact, asOf);
    }

    public static AgencyContribution retract(AgencyFact fact, long asOf) {
        return new AgencyContribution(-1, fact, asOf);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgencyContribution c
                && sign == c.sign
                && asOf == c.asOf
                && Objects.equals(fact, c.fact);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sign, fact, asOf);
    }

    @Override
    public String toString() {
        return (sign > 0 ? "+" : "-") + fact + "@" + asOf;
    }
}
