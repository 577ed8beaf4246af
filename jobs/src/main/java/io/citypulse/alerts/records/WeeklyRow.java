package io.citypulse.alerts.records;

/**
 * A row of {@code case_category_weekly}: one major category's week so far (DDL:
 * sql/031_case_category_weekly.sql). A Flink POJO.
 */
public class WeeklyRow {

    /** Local Monday, epoch day. */
    public long weekStart;

    public String categoryMajor;
    public int alerts;
    public boolean escalated;
    public int daysElevated;
    public double hoursElevated;
    public double excessTickets;
    public String districts;
    public String topItems;
    public String topAgencies;
    public String lastAlertId;
    public long version;

    public WeeklyRow() {}

    @Override
    public String toString() {
        return "WeeklyRow{"
                + weekStart
                + " "
                + categoryMajor
                + " alerts="
                + alerts
                + " escalated="
                + escalated
                + " days="
                + daysElevated
                + " hours="
                + hoursElevated
                + " excess="
                + excessTickets
                + " v="
                + version
                + "}";
    }
}
