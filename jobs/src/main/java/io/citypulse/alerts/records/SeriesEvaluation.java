package io.citypulse.alerts.records;

/**
 * The detector's verdict on one series at one 5-minute step: the output per evaluation (observed,
 * expected, score, elevated). Emitted only when asked for ({@code --emit-evaluations}): a city has
 * about a thousand series, so this is a debugging and tuning stream, not a table. A Flink POJO.
 */
public class SeriesEvaluation {

    /** End of the evaluated 5-minute bucket. */
    public long time;

    public String categoryMajor;

    /** {@code tickets} or {@code leads}. */
    public String signal;

    /** CATEGORY, ITEM or DISTRICT. */
    public String scope;

    /** Item code or district, empty for a category. */
    public String value;

    public int windowMinutes;
    public long observed;
    public double expected;
    public double score;
    public boolean opens;
    public boolean stays;

    /** Expected count of the current local hour. */
    public double hourExpected;

    /** 1/r of the negative binomial in use. */
    public double inverseDispersion;

    public SeriesEvaluation() {}

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "%d %s %s %s %s w=%d obs=%d exp=%.2f score=%.1f%s hour=%.2f 1/r=%.3f",
                time,
                categoryMajor,
                signal,
                scope,
                value,
                windowMinutes,
                observed,
                expected,
                score,
                opens ? " OPENS" : stays ? " stays" : "",
                hourExpected,
                inverseDispersion);
    }
}
