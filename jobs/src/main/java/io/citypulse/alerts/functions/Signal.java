package io.citypulse.alerts.functions;

/**
 * One accepted event reduced to what spike detection needs: which count it adds to (a ticket
 * created, a ticket dispatched — evidence of the agencies involved — or a lead captured), when, its
 * category, item and district, and its evidence (street, agency, lead fingerprint). A Flink POJO,
 * keyed by {@link #categoryMajor}.
 */
public class Signal {

    public static final byte TICKET_CREATED = 0;
    public static final byte TICKET_DISPATCHED = 1;
    public static final byte LEAD_CAPTURED = 2;

    public byte kind;
    public long time;
    public String categoryMajor;
    public String categoryCode;

    /** Empty when not known (leads that could not be located). */
    public String district;

    /** Street of a ticket, agency of a dispatch, content fingerprint of a lead; may be empty. */
    public String detail;

    public Signal() {}

    public Signal(
            byte kind,
            long time,
            String categoryMajor,
            String categoryCode,
            String district,
            String detail) {
        this.kind = kind;
        this.time = time;
        this.categoryMajor = categoryMajor;
        this.categoryCode = categoryCode;
        this.district = district == null ? "" : district;
        this.detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return "Signal{"
                + kind
                + " @"
                + time
                + " "
                + categoryMajor
                + "/"
                + categoryCode
                + "/"
                + district
                + " "
                + detail
                + "}";
    }
}
