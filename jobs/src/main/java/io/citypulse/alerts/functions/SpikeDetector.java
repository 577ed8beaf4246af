package io.citypulse.alerts.functions;

import io.citypulse.alerts.detector.Evaluation;
import io.citypulse.alerts.detector.Seasons;
import io.citypulse.alerts.detector.SeriesModel;
import io.citypulse.alerts.detector.SpikeTest;
import io.citypulse.alerts.detector.WindowRing;
import io.citypulse.alerts.records.SeriesEvaluation;
import io.citypulse.alerts.records.TopLists;
import io.citypulse.alerts.records.WeeklyRow;
import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.common.CachedValueState;
import io.citypulse.common.CachingKeyedBroadcastOperator;
import io.citypulse.common.ListAsValue;
import io.citypulse.common.MapAsValue;
import io.citypulse.common.StateCaching;
import io.citypulse.common.WriteBackCache;
import io.citypulse.counts.Granularity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spike detection and the alert lifecycle for one major category per key.
 *
 * <ul>
 *   <li><b>Key</b>: the major category. One key holds the category's whole hierarchy (the category,
 *       its items, the category in each district), so a child can borrow its parent's baseline and
 *       a child's alert can defer to its parent's without any cross-key traffic.
 *   <li><b>Input 1</b>: {@link Signal}s (tickets created, dispatched, leads captured), collected
 *       into 5-minute buckets in map state until the watermark passes the bucket.
 *   <li><b>Input 2</b> (broadcast): the event time where a bounded input ends (see {@code
 *       EventTimeHorizon}); steps after it are not taken, so the end of a replay does not look like
 *       a sudden calm.
 *   <li><b>Each 5-minute step</b> (an event-time timer chain per key): at a local hour start the
 *       finished hour is learned into each active series' {@link SeriesModel} and the new hour's
 *       expectation set; the bucket is pushed into each active series' {@link WindowRing}; every
 *       series is tested ({@link SpikeTest}); then each key's alert moves through its lifecycle.
 *   <li><b>Output</b>: {@link HotspotAlert} records (OPENED, UPDATED, ESCALATED, RESOLVED); side
 *       output {@link #WEEKLY}: the category's week for the case-category review.
 *   <li><b>State</b>: the category's {@link MajorState} (one byte[] value), the baselines ({@link
 *       SeriesModel} per series, touched once an hour), pending signals (appended, taken when their
 *       bucket is evaluated) and the next step's time. Per category the state is bounded by its
 *       items and districts; keys with nothing open and nothing elevated in a week are forgotten.
 * </ul>
 *
 * Everything is decided in event time, so a replay of the same input yields the same alerts, with
 * the same ids and revisions.
 */
public final class SpikeDetector
        extends KeyedBroadcastProcessFunction<String, Signal, Long, HotspotAlert>
        implements StateCaching {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SpikeDetector.class);

    public static final long BUCKET_MS = 300_000L;
    static final long HOUR_MS = 3_600_000L;

    /** Rows of case_category_weekly. */
    public static final OutputTag<WeeklyRow> WEEKLY = new OutputTag<>("case-category-weekly") {};

    /** Every series' verdict at every step, when {@link AlertRules#emitEvaluations()}. */
    public static final OutputTag<SeriesEvaluation> EVALUATIONS =
            new OutputTag<>("series-evaluations") {};

    /** Where a bounded input ends (broadcast). */
    public static final MapStateDescriptor<String, Long> HORIZON =
            new MapStateDescriptor<>("alerts-input-horizon", Types.STRING, Types.LONG);

    private static final String LAST_EVENT = "last-event";

    /** Share of its category's excess a child must carry to raise its own alert meanwhile. */
    static final double MIN_SHARE_OF_EXCESS = 0.5;

    /** Longest run of missed hours learned as zeros when a quiet series wakes up (two weeks). */
    static final int MAX_CATCH_UP_HOURS = 336;

    private final AlertRules rules;

    private transient ValueState<byte[]> majorState;

    /**
     * The decoded major states' write-back cache while run by a {@link
     * CachingKeyedBroadcastOperator}.
     */
    private transient WriteBackCache<byte[], MajorState> cache;

    /**
     * With the cache: the pending signals by bucket start, in front of the {@code pending} list
     * state (which holds them all, in any order, from each flush on).
     */
    private transient WriteBackCache<List<Signal>, TreeMap<Long, List<Signal>>> pendingCache;

    /**
     * With the cache: the category's series models, decoded (in front of the {@code series-models}
     * map state, rewritten whole at each flush). Each local hour learns into every active series'
     * model: one state read and write per series and hour otherwise, and a replay goes through
     * thousands of hours between two checkpoints.
     */
    private transient WriteBackCache<Map<String, SeriesModel>, Map<String, SeriesModel>>
            modelsCache;

    private transient ListState<Signal> pending;
    private transient MapStateDescriptor<String, SeriesModel> modelsDescriptor;
    private transient MapState<String, SeriesModel> models;

    /** The time of the category's next step, read at every signal (cached with the rest). */
    private transient CachedValueState<Long> nextStep;

    private transient Counter lateSignals;
    private transient Counter opened;
    private transient Counter resolved;
    private transient long lateLoggedAt;

    public SpikeDetector(AlertRules rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext ctx) {
        majorState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "major",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        // Signals not yet evaluated, appended as they come: a RocksDB merge per signal instead
        // of reading and rewriting the growing bucket for each one.
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pending-signals", TypeInformation.of(Signal.class)));
        modelsDescriptor =
                new MapStateDescriptor<>(
                        "series-models", Types.STRING, TypeInformation.of(SeriesModel.class));
        models = getRuntimeContext().getMapState(modelsDescriptor);
        nextStep =
                new CachedValueState<>(
                        getRuntimeContext()
                                .getState(new ValueStateDescriptor<>("next-step", Types.LONG)));
        lateSignals = getRuntimeContext().getMetricGroup().counter("lateSignals");
        opened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
        resolved = getRuntimeContext().getMetricGroup().counter("alertsResolved");
    }

    /**
     * Keeps up to {@code maxKeys} categories' {@link MajorState} decoded on the heap, written back
     * encoded before every checkpoint barrier (the operator must call {@link #flush()}); without
     * it, every 5-minute step decodes and re-encodes the category's whole state. Likewise the
     * category's pending signals, its series models and the time of its next step.
     */
    @Override
    public void cacheState(KeyContext keys, int maxKeys) {
        cache =
                WriteBackCache.decoding(
                        keys, majorState, maxKeys, MajorState::fromBytes, MajorState::toBytes);
        // In a replay the watermark trails the faster of the two sources, so the list holds many
        // buckets; taking one bucket from it at every step read and rewrote all of them.
        pendingCache =
                WriteBackCache.decoding(
                        keys,
                        new ListAsValue<>(pending),
                        maxKeys,
                        SpikeDetector::byBucket,
                        SpikeDetector::allSignals);
        // A heap backend hands out (and keeps) its own objects: copy both ways.
        TypeSerializer<SeriesModel> model = modelsDescriptor.getValueSerializer();
        UnaryOperator<Map<String, SeriesModel>> copy =
                m -> {
                    Map<String, SeriesModel> c = new HashMap<>();
                    m.forEach((id, v) -> c.put(id, model.copy(v)));
                    return c;
                };
        modelsCache = WriteBackCache.decoding(keys, new MapAsValue<>(models), maxKeys, copy, copy);
        nextStep.cache(keys, maxKeys, UnaryOperator.identity());
    }

    /** Writes the cached changes to the state (no-op without a cache). */
    @Override
    public void flush() throws IOException {
        if (cache != null) {
            cache.flush();
            pendingCache.flush();
            modelsCache.flush();
            nextStep.flush();
        }
    }

    private static TreeMap<Long, List<Signal>> byBucket(List<Signal> signals) {
        TreeMap<Long, List<Signal>> buckets = new TreeMap<>();
        for (Signal s : signals) {
            buckets.computeIfAbsent(bucketStart(s.time), b -> new ArrayList<>()).add(s);
        }
        return buckets;
    }

    private static List<Signal> allSignals(TreeMap<Long, List<Signal>> buckets) {
        List<Signal> all = new ArrayList<>();
        for (List<Signal> signals : buckets.values()) {
            all.addAll(signals);
        }
        return all;
    }

    private static long bucketStart(long time) {
        return time - Math.floorMod(time, BUCKET_MS);
    }

    private MajorState loadMajor() throws IOException {
        if (cache == null) {
            return MajorState.fromBytes(majorState.value());
        }
        MajorState state = cache.value();
        return state != null ? state : MajorState.fromBytes(null);
    }

    private void storeMajor(MajorState state) throws IOException {
        if (cache == null) {
            majorState.update(state.toBytes());
        } else {
            cache.update(state);
        }
    }

    @Override
    public void processElement(Signal s, ReadOnlyContext ctx, Collector<HotspotAlert> out)
            throws Exception {
        long bucket = s.time - Math.floorMod(s.time, BUCKET_MS);
        long stepTimer = bucket + BUCKET_MS - 1;
        if (stepTimer <= ctx.timerService().currentWatermark()) {
            // Cannot happen behind a LifecycleGate with zero lateness (it rejects such events as
            // LATE dead letters with the same rule); counted and logged should the wiring change.
            lateSignals.inc();
            if (s.time - lateLoggedAt > HOUR_MS) {
                lateLoggedAt = s.time;
                LOG.warn("signal behind the watermark, not counted for detection: {}", s);
            }
            return;
        }
        if (pendingCache == null) {
            pending.add(s);
        } else {
            TreeMap<Long, List<Signal>> buckets = pendingCache.value();
            if (buckets == null) {
                buckets = new TreeMap<>();
            }
            buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(s);
            pendingCache.update(buckets);
        }
        Long next = nextStep.value();
        if (next == null || stepTimer < next) {
            // The chain of steps starts at the first bucket; afterwards it runs by itself.
            if (next != null) {
                ctx.timerService().deleteEventTimeTimer(next);
            }
            ctx.timerService().registerEventTimeTimer(stepTimer);
            nextStep.update(stepTimer);
        }
    }

    @Override
    public void processBroadcastElement(
            Long lastEventTime, Context ctx, Collector<HotspotAlert> out) throws Exception {
        Long known = ctx.getBroadcastState(HORIZON).get(LAST_EVENT);
        ctx.getBroadcastState(HORIZON)
                .put(LAST_EVENT, known == null ? lastEventTime : Math.max(known, lastEventTime));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HotspotAlert> out)
            throws Exception {
        long end = timestamp + 1;
        Long horizon = ctx.getBroadcastState(HORIZON).get(LAST_EVENT);
        MajorState state = loadMajor();
        String major = ctx.getCurrentKey();
        long from = state.lastEvaluatedEnd + BUCKET_MS;
        if (state.lastEvaluatedEnd == 0 || end - from > (long) WindowRing.BUCKETS * BUCKET_MS) {
            from = end; // first step, or a gap longer than the rings: start afresh at this bucket
            if (state.lastEvaluatedEnd != 0) {
                state.rings.clear();
            }
        }
        for (long e = from; e <= end; e += BUCKET_MS) {
            step(major, e, state, ctx, out);
        }
        long next = end + BUCKET_MS;
        boolean pastInput = horizon != null && next - BUCKET_MS > horizon;
        if (pastInput) {
            // End of a bounded input: the week so far is as complete as it will get.
            emitWeek(major, end, state, ctx, true);
            nextStep.update(null);
        } else {
            ctx.timerService().registerEventTimeTimer(next - 1);
            nextStep.update(next - 1);
        }
        storeMajor(state);
    }

    /** One 5-minute step for the bucket ending at {@code end}. */
    private void step(
            String major,
            long end,
            MajorState state,
            OnTimerContext ctx,
            Collector<HotspotAlert> out)
            throws Exception {
        long start = end - BUCKET_MS;
        PendingBucket bucket = takePending(start, end);
        long hourStart = Granularity.HOUR.start(start, rules.zone());
        if (hourStart == start && state.lastEvaluatedEnd == start) {
            rollOver(state, start);
        }

        // Counts of this bucket per series.
        Map<String, Integer> counts = new HashMap<>();
        for (Map.Entry<String, Integer> e : bucket.created.entrySet()) {
            String[] t = PendingBucket.split(e.getKey());
            addToScopes(counts, "T", t[0], t[1], e.getValue());
        }
        for (String lead : bucket.leads.keySet()) {
            String[] t = PendingBucket.split(lead); // one per distinct post, reposts included
            addToScopes(counts, "L", t[0], t[1], 1);
        }
        List<String> waking = null;
        for (String id : counts.keySet()) {
            if (!state.rings.containsKey(id)) {
                if (waking == null) {
                    waking = new ArrayList<>();
                }
                waking.add(id);
            }
        }
        if (waking != null) {
            // In series order: a category's series before its children, which take its level.
            waking.sort(null);
            for (String id : waking) {
                activate(id, hourStart, state);
            }
        }
        Map<String, Evaluation> evaluations = new HashMap<>(2 * state.rings.size());
        // The scopes whose alert may move at this step: those with a series that opens, and those
        // with an alert open (below). For any other, the lifecycle does nothing.
        TreeSet<String> moving = new TreeSet<>();
        for (Map.Entry<String, WindowRing> e : state.rings.entrySet()) {
            WindowRing ring = e.getValue();
            ring.push(counts.getOrDefault(e.getKey(), 0), ring.hourExpected / 12.0);
            Evaluation ev = SpikeTest.evaluate(ring, rules.detector());
            evaluations.put(e.getKey(), ev);
            if (ev.opens()) {
                moving.add(Scope.scopeOf(e.getKey()));
            }
            if (rules.emitEvaluations()) {
                ctx.output(EVALUATIONS, evaluation(major, e.getKey(), end, ring, ev));
            }
        }

        state.evidence.addLast(bucket);
        while (state.evidence.size() > MajorState.EVIDENCE_BUCKETS) {
            state.evidence.removeFirst();
        }

        // Lifecycle, category first (the scopes' order): children look at their parent's alert.
        for (Map.Entry<String, ScopeState> e : state.scopes.entrySet()) {
            if (e.getValue().open()) {
                moving.add(e.getKey());
            }
        }
        long today = localDay(start);
        startWeek(major, end, today, state, ctx);
        List<String> elevatedScopes = new ArrayList<>();
        for (String scope : moving) {
            ScopeState s = state.scopes.computeIfAbsent(scope, k -> new ScopeState());
            boolean elevated = lifecycle(major, scope, s, end, today, evaluations, state, out);
            if (elevated) {
                elevatedScopes.add(scope);
            }
        }
        updateWeek(major, end, today, bucket, elevatedScopes, state, evaluations, ctx);

        // Forget what no longer matters.
        Iterator<Map.Entry<String, WindowRing>> rings = state.rings.entrySet().iterator();
        while (rings.hasNext()) {
            Map.Entry<String, WindowRing> e = rings.next();
            if (e.getValue().quiet()) {
                ScopeState s = state.scopes.get(Scope.scopeOf(e.getKey()));
                if (s == null || !s.open()) {
                    rings.remove();
                }
            }
        }
        state.scopes.values().removeIf(s -> s.forgettable(today));
        state.lastEvaluatedEnd = end;
    }

    private static SeriesEvaluation evaluation(
            String major, String id, long end, WindowRing ring, Evaluation ev) {
        SeriesEvaluation r = new SeriesEvaluation();
        String scope = Scope.scopeOf(id);
        r.time = end;
        r.categoryMajor = major;
        r.signal = id.charAt(0) == 'T' ? "tickets" : "leads";
        r.scope = Scope.kind(scope).name();
        r.value = Scope.isCategory(scope) ? "" : Scope.value(scope);
        r.windowMinutes = ev.buckets() * 5;
        r.observed = ev.observed();
        r.expected = ev.expected();
        r.score = ev.testable() ? ev.score() : 0;
        r.opens = ev.opens();
        r.stays = ev.stays();
        r.hourExpected = ring.hourExpected;
        r.inverseDispersion = ring.inverseDispersion;
        return r;
    }

    private static void addToScopes(
            Map<String, Integer> counts, String kind, String item, String district, int n) {
        counts.merge(kind + Scope.CATEGORY, n, Integer::sum);
        counts.merge(kind + Scope.item(item), n, Integer::sum);
        if (!district.isEmpty()) {
            counts.merge(kind + Scope.district(district), n, Integer::sum);
        }
    }

    // ---- baselines -------------------------------------------------------------------------

    /**
     * At a local hour start: learns the hour that just ended into every active series (parents
     * first, so children know their parent's count), then sets the new hour's expectations.
     */
    private void rollOver(MajorState state, long hourStart) throws Exception {
        long finished = hourStart - HOUR_MS;
        int week = Seasons.weekSlot(finished, rules.zone());
        int day = Seasons.daySlot(finished, rules.zone());
        int nextWeek = Seasons.weekSlot(hourStart, rules.zone());
        int nextDay = Seasons.daySlot(hourStart, rules.zone());
        for (Map.Entry<String, WindowRing> e : state.rings.entrySet()) {
            String id = e.getKey();
            WindowRing ring = e.getValue();
            boolean child = !Scope.isCategory(Scope.scopeOf(id));
            SeriesModel model = model(id);
            catchUp(model, finished);
            double parentCount = -1;
            double parentExpected = Double.NaN;
            if (child) {
                WindowRing parent = state.rings.get(Scope.parentOf(id));
                parentCount = parent == null ? 0 : parent.observed(12);
                parentExpected = parent == null ? Double.NaN : parent.hourExpected;
            }
            ring.pushHour((int) ring.observed(12), ring.hourExpected);
            model.learn(
                    hourStart,
                    ring.observed(12),
                    ring.hourExpected,
                    week,
                    day,
                    parentCount,
                    calm(state, Scope.scopeOf(id), finished),
                    rules.detector());
            ring.hourExpected =
                    model.expected(nextWeek, nextDay, parentExpected, child, rules.detector());
            ring.inverseDispersion = dispersion(model, ring.hourExpected, nextWeek, nextDay, child);
            storeModel(id, model);
        }
    }

    /** Neither the key nor its category was elevated since {@code since}. */
    private static boolean calm(MajorState state, String scope, long since) {
        ScopeState own = state.scopes.get(scope);
        ScopeState category = state.scopes.get(Scope.CATEGORY);
        return !elevatedSince(own, since) && !elevatedSince(category, since);
    }

    private static boolean elevatedSince(ScopeState s, long since) {
        return s != null && (s.open() || s.lastElevatedAt > since);
    }

    /** A series with its first event in a while (or ever) joins the active ones. */
    private void activate(String id, long hourStart, MajorState state) throws Exception {
        boolean child = !Scope.isCategory(Scope.scopeOf(id));
        SeriesModel model = model(id);
        if (model.learnedUntil == 0) {
            model.learnedUntil = hourStart; // a new series: nothing before it to learn
        } else {
            catchUp(model, hourStart);
        }
        double parentExpected = Double.NaN;
        if (child) {
            WindowRing parent = state.rings.get(Scope.parentOf(id));
            parentExpected = parent == null ? Double.NaN : parent.hourExpected;
        }
        WindowRing ring = new WindowRing();
        ring.hourExpected =
                model.expected(
                        Seasons.weekSlot(hourStart, rules.zone()),
                        Seasons.daySlot(hourStart, rules.zone()),
                        parentExpected,
                        child,
                        rules.detector());
        ring.inverseDispersion =
                dispersion(
                        model,
                        ring.hourExpected,
                        Seasons.weekSlot(hourStart, rules.zone()),
                        Seasons.daySlot(hourStart, rules.zone()),
                        child);
        state.rings.put(id, ring);
        storeModel(id, model);
    }

    /**
     * 1/r the test uses this hour: the series' learned over-dispersion plus the sampling error of
     * its baseline (variance e / samples, i.e. 1/r = 1 / (samples * e)).
     */
    private double dispersion(
            SeriesModel model, double hourExpected, int week, int day, boolean child) {
        double invR = model.inverseDispersion(rules.detector());
        if (Double.isNaN(hourExpected)) {
            return invR;
        }
        double samples = model.effectiveSamples(week, day, child, rules.detector());
        return invR + 1.0 / (samples * Math.max(hourExpected, 0.25));
    }

    /** Learns the hours a quiet series missed, as zero counts, up to {@code hourStart}. */
    private void catchUp(SeriesModel model, long hourStart) {
        int hours = 0;
        for (long h = model.learnedUntil;
                h > 0 && h < hourStart && hours < MAX_CATCH_UP_HOURS;
                h += HOUR_MS, hours++) {
            int week = Seasons.weekSlot(h, rules.zone());
            int day = Seasons.daySlot(h, rules.zone());
            double predicted = model.expected(week, day, Double.NaN, false, rules.detector());
            model.learn(h + HOUR_MS, 0, predicted, week, day, -1, rules.detector());
        }
        if (model.learnedUntil < hourStart) {
            model.learnedUntil = hourStart;
        }
    }

    private SeriesModel model(String id) throws Exception {
        SeriesModel m;
        if (modelsCache == null) {
            m = models.get(id);
        } else {
            Map<String, SeriesModel> all = modelsCache.value();
            m = all == null ? null : all.get(id);
        }
        return m == null ? new SeriesModel() : m;
    }

    private void storeModel(String id, SeriesModel model) throws Exception {
        if (modelsCache == null) {
            models.put(id, model);
            return;
        }
        Map<String, SeriesModel> all = modelsCache.value();
        if (all == null) {
            all = new HashMap<>();
        }
        all.put(id, model);
        modelsCache.update(all);
    }

    // ---- lifecycle -------------------------------------------------------------------------

    /**
     * Moves one key's alert along and says whether the key is elevated now (with an alert open).
     */
    private boolean lifecycle(
            String major,
            String scope,
            ScopeState s,
            long end,
            long today,
            Map<String, Evaluation> evaluations,
            MajorState state,
            Collector<HotspotAlert> out) {
        Evaluation t = evaluations.getOrDefault(Scope.tickets(scope), Evaluation.UNTESTABLE);
        Evaluation l = evaluations.getOrDefault(Scope.leads(scope), Evaluation.UNTESTABLE);
        boolean opens = t.opens() || l.opens();
        boolean stays = t.stays() || l.stays();
        String parentId = null;
        if (!s.open()) {
            if (!opens) {
                return false;
            }
            ScopeState parent = Scope.isCategory(scope) ? null : state.scopes.get(Scope.CATEGORY);
            if (parent != null && parent.open()) {
                if (!addsInformation(t, l, state)) {
                    // Part of the category's alert, which already says it. Remember the
                    // elevation, so that the child does not open on the same surge later, once
                    // the category's alert has resolved.
                    s.lastElevatedAt = end;
                    return false;
                }
                parentId = parent.alertId;
            } else {
                // Only windows that start after the key (or its category) was last elevated may
                // open a new alert: the longer windows remember a surge for hours after it ended,
                // and that surge's alert already said it.
                long lastElevated =
                        Math.max(s.lastElevatedAt, parent == null ? 0 : parent.lastElevatedAt);
                int fresh = (int) ((end - lastElevated) / BUCKET_MS);
                if (lastElevated > 0 && fresh < 24 * 12) {
                    t = retest(state, Scope.tickets(scope), fresh);
                    l = retest(state, Scope.leads(scope), fresh);
                    if (!t.opens() && !l.opens()) {
                        return false;
                    }
                }
            }
            s.alertId = alertId(major, scope, end);
            s.lastElevatedAt = end;
            s.openedAt = end;
            s.revision = 0;
            s.leadDriven = !t.opens();
            s.ticketsSeen = t.opens();
            s.markDay(today);
            s.excess = excess(state, Scope.tickets(scope));
            state.week.alerts++;
            state.week.lastAlertId = s.alertId;
            state.week.dirty = true;
            opened.inc();
            emit(major, scope, s, AlertState.OPENED, end, today, t, l, parentId, state, out);
            if (shouldEscalate(s, end, today)) {
                escalate(major, scope, s, end, today, t, l, parentId, state, out);
            }
            return true;
        }
        if (!stays) {
            s.quiet++;
            if (s.quiet >= rules.resolveAfterSteps()) {
                emit(major, scope, s, AlertState.RESOLVED, end, today, t, l, null, state, out);
                resolved.inc();
                s.close();
            }
            return false;
        }
        s.quiet = 0;
        s.lastElevatedAt = end;
        s.markDay(today);
        s.excess += excess(state, Scope.tickets(scope));
        if (shouldEscalate(s, end, today)) {
            escalate(major, scope, s, end, today, t, l, null, state, out);
        } else if (!s.ticketsSeen && t.opens()) {
            s.ticketsSeen = true; // the tickets followed the leads: the same alert links both
            emit(major, scope, s, AlertState.UPDATED, end, today, t, l, null, state, out);
        } else if (end - s.lastEmitAt >= rules.updateEvery().toMillis()) {
            emit(major, scope, s, AlertState.UPDATED, end, today, t, l, null, state, out);
        }
        return true;
    }

    private Evaluation retest(MajorState state, String series, int maxBuckets) {
        WindowRing ring = state.rings.get(series);
        return ring == null
                ? Evaluation.UNTESTABLE
                : SpikeTest.evaluate(ring, rules.detector(), maxBuckets);
    }

    /**
     * A child key adds information to its open category alert when it is concentrated: over the
     * same window its ratio to expectation is clearly above the category's and it carries at least
     * half of the category's excess (a surge in one district, not the whole category rising
     * everywhere, nor a small district's noise during the category's surge).
     */
    private boolean addsInformation(Evaluation t, Evaluation l, MajorState state) {
        Evaluation child = t.opens() ? t : l;
        WindowRing parent =
                state.rings.get(
                        t.opens() ? Scope.tickets(Scope.CATEGORY) : Scope.leads(Scope.CATEGORY));
        if (parent == null) {
            return true;
        }
        // The category over the same window as the child's: a 15-minute surge of one item is
        // compared with the category's last 15 minutes, not with its day.
        int w = child.buckets();
        double observed = w > WindowRing.BUCKETS ? parent.observedDay() : parent.observed(w);
        double expected = w > WindowRing.BUCKETS ? parent.expectedDay() : parent.expected(w);
        if (Double.isNaN(expected)) {
            return true;
        }
        double parentRatio = observed / Math.max(expected, 0.1);
        double parentExcess = observed - expected;
        double childExcess = child.observed() - child.expected();
        // Concentrated: the child rises clearly more than its category, and it carries at least
        // half of the category's excess (a small child's noise is not the category's surge).
        return child.ratio() >= rules.concentration() * parentRatio
                && childExcess >= MIN_SHARE_OF_EXCESS * parentExcess;
    }

    private boolean shouldEscalate(ScopeState s, long end, long today) {
        return !s.escalated
                && (end - s.openedAt >= rules.escalateAfter().toMillis()
                        || s.daysElevated(today) >= rules.escalateDays());
    }

    private void escalate(
            String major,
            String scope,
            ScopeState s,
            long end,
            long today,
            Evaluation t,
            Evaluation l,
            String parentId,
            MajorState state,
            Collector<HotspotAlert> out) {
        s.escalated = true;
        s.ticketsSeen |= t.opens();
        state.week.escalated = true;
        state.week.dirty = true;
        emit(major, scope, s, AlertState.ESCALATED, end, today, t, l, parentId, state, out);
    }

    private static double excess(MajorState state, String ticketSeries) {
        WindowRing ring = state.rings.get(ticketSeries);
        if (ring == null || Double.isNaN(ring.lastExpected())) {
            return 0;
        }
        return Math.max(0, ring.last() - ring.lastExpected());
    }

    private void emit(
            String major,
            String scope,
            ScopeState s,
            AlertState kind,
            long end,
            long today,
            Evaluation t,
            Evaluation l,
            String parentId,
            MajorState state,
            Collector<HotspotAlert> out) {
        if (kind != AlertState.OPENED) {
            s.revision++;
        }
        s.lastEmitAt = end;
        boolean ticketsPrimary = t.stays() || (t.testable() && !l.stays());
        Evaluation primary = ticketsPrimary ? t : l;
        Evidence evidence = Evidence.of(scope, state.evidence);
        HotspotAlert a =
                HotspotAlert.newBuilder()
                        .setAlertId(s.alertId)
                        .setState(kind)
                        .setLevel(s.escalated ? AlertLevel.CASE_CATEGORY : AlertLevel.SPIKE)
                        .setRevision(s.revision)
                        .setEventTime(Instant.ofEpochMilli(end))
                        .setOpenedAt(Instant.ofEpochMilli(s.openedAt))
                        .setScope(Scope.kind(scope))
                        .setCategoryMajor(major)
                        .setCategoryCode(scope.charAt(0) == 'I' ? Scope.value(scope) : null)
                        .setDistrict(scope.charAt(0) == 'D' ? Scope.value(scope) : null)
                        .setLeadDriven(s.leadDriven)
                        .setTicketsElevated(t.stays())
                        .setLeadsElevated(l.stays())
                        .setWindowStart(Instant.ofEpochMilli(end - primary.buckets() * BUCKET_MS))
                        .setWindowEnd(Instant.ofEpochMilli(end))
                        .setObserved(primary.observed())
                        .setExpected(finite(primary.expected()))
                        .setScore(primary.testable() ? primary.score() : 0)
                        .setTicketObserved(t.observed())
                        .setTicketExpected(finite(t.expected()))
                        .setLeadObserved(l.observed())
                        .setLeadExpected(finite(l.expected()))
                        .setExcessTickets(s.excess)
                        .setDaysElevated(s.daysElevated(today))
                        .setTopItems(evidence.items)
                        .setTopStreets(evidence.streets)
                        .setTopDistricts(evidence.districts)
                        .setTopAgencies(evidence.agencies)
                        .setLeadFingerprints(evidence.fingerprints)
                        .setParentAlertId(parentId)
                        .setSummaryZh("")
                        .setSummaryEn("")
                        .build();
        a.setSummaryEn(Summaries.english(a, primary.buckets() * 5));
        a.setSummaryZh(
                Summaries.chinese(
                        a, rules.majorNamesZh().getOrDefault(major, major), primary.buckets() * 5));
        out.collect(a);
    }

    private static double finite(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Deterministic id of an episode: the key and the time it opened. */
    static String alertId(String major, String scope, long openedAt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h =
                    sha.digest(
                            (major + Scope.SEP + scope + Scope.SEP + openedAt)
                                    .getBytes(StandardCharsets.UTF_8));
            return "a" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the week --------------------------------------------------------------------------

    private void startWeek(
            String major, long end, long today, MajorState state, OnTimerContext ctx) {
        long monday = LocalDate.ofEpochDay(today).with(DayOfWeek.MONDAY).toEpochDay();
        if (state.week.weekStart != monday) {
            emitWeek(major, end, state, ctx, true);
            state.week.reset(monday);
        }
    }

    private void updateWeek(
            String major,
            long end,
            long today,
            PendingBucket bucket,
            List<String> elevatedScopes,
            MajorState state,
            Map<String, Evaluation> evaluations,
            OnTimerContext ctx) {
        WeekSummary w = state.week;
        if (!elevatedScopes.isEmpty()) {
            w.elevatedBuckets++;
            w.dayMask |= 1 << (int) (today - w.weekStart);
            boolean category = elevatedScopes.contains(Scope.CATEGORY);
            double itemExcess = 0;
            double districtExcess = 0;
            for (String scope : elevatedScopes) {
                double x = excess(state, Scope.tickets(scope));
                if (scope.charAt(0) == 'I') {
                    itemExcess += x;
                } else if (scope.charAt(0) == 'D') {
                    districtExcess += x;
                }
            }
            w.excess +=
                    category
                            ? excess(state, Scope.tickets(Scope.CATEGORY))
                            : Math.max(itemExcess, districtExcess);
            for (Map.Entry<String, Integer> e : bucket.created.entrySet()) {
                String[] t = PendingBucket.split(e.getKey());
                if (inAny(elevatedScopes, t[0], t[1])) {
                    w.items.merge(t[0], e.getValue(), Integer::sum);
                    if (!t[1].isEmpty()) {
                        w.districts.merge(t[1], e.getValue(), Integer::sum);
                    }
                }
            }
            for (Map.Entry<String, Integer> e : bucket.dispatched.entrySet()) {
                String[] t = PendingBucket.split(e.getKey());
                if (!t[2].isEmpty() && inAny(elevatedScopes, t[0], t[1])) {
                    w.agencies.merge(t[2], e.getValue(), Integer::sum);
                }
            }
            w.dirty = true;
        }
        if (w.dirty && end - w.lastEmitAt >= HOUR_MS) {
            emitWeek(major, end, state, ctx, false);
        }
    }

    private static boolean inAny(List<String> scopes, String item, String district) {
        for (String s : scopes) {
            if (Scope.contains(s, item, district)) {
                return true;
            }
        }
        return false;
    }

    private void emitWeek(
            String major, long end, MajorState state, OnTimerContext ctx, boolean onlyIfDirty) {
        WeekSummary w = state.week;
        if (w.weekStart == Long.MIN_VALUE || (onlyIfDirty && !w.dirty) || w.alerts == 0) {
            return;
        }
        WeeklyRow row = new WeeklyRow();
        row.weekStart = w.weekStart;
        row.categoryMajor = major;
        row.alerts = w.alerts;
        row.escalated = w.escalated;
        row.daysElevated = w.daysElevated();
        row.hoursElevated = w.elevatedBuckets * 5 / 60.0;
        row.excessTickets = w.excess;
        row.districts = TopLists.joined(Evidence.top(longs(w.districts)));
        row.topItems = TopLists.joined(Evidence.top(longs(w.items)));
        row.topAgencies = TopLists.joined(Evidence.top(longs(w.agencies)));
        row.lastAlertId = w.lastAlertId;
        row.version = end;
        ctx.output(WEEKLY, row);
        w.dirty = false;
        w.lastEmitAt = end;
    }

    private static Map<String, Long> longs(Map<String, Integer> m) {
        Map<String, Long> r = new HashMap<>();
        m.forEach((k, v) -> r.put(k, (long) v));
        return r;
    }

    private long localDay(long t) {
        return Instant.ofEpochMilli(t).atZone(rules.zone()).toLocalDate().toEpochDay();
    }

    // ---- state encoding --------------------------------------------------------------------

    /** The pending signals of [start, end) as a bucket; later ones stay pending. */
    private PendingBucket takePending(long start, long end) throws Exception {
        PendingBucket bucket = new PendingBucket();
        if (pendingCache != null) {
            TreeMap<Long, List<Signal>> buckets = pendingCache.value();
            if (buckets != null) {
                // Earlier buckets were evaluated already; nothing older can be pending.
                Map<Long, List<Signal>> due = buckets.headMap(end);
                for (List<Signal> signals : due.values()) {
                    for (Signal s : signals) {
                        bucket.add(s);
                    }
                }
                due.clear();
                pendingCache.update(buckets.isEmpty() ? null : buckets);
            }
            return bucket;
        }
        List<Signal> later = null;
        Iterable<Signal> all = pending.get();
        if (all == null) {
            return bucket;
        }
        for (Signal s : all) {
            if (s.time < end) {
                // Earlier buckets were evaluated already; nothing older can be pending.
                bucket.add(s);
            } else {
                if (later == null) {
                    later = new ArrayList<>();
                }
                later.add(s);
            }
        }
        if (later == null) {
            pending.clear();
        } else {
            pending.update(later);
        }
        return bucket;
    }
}
