package io.citypulse.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.avro.NamedCount;
import io.citypulse.catalogue.Catalogue;
import io.citypulse.catalogue.MajorCategory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The message bodies, one per {@link Format}:
 *
 * <ul>
 *   <li>{@code webhook}: the alert as JSON, every field of the Avro record under its own name
 *       (enums as their symbol, times as ISO-8601 UTC plus {@code <name>Ms} epoch milliseconds),
 *       plus {@code subscriber} and {@code idempotencyKey}. Generated from the schema, so a field
 *       added to {@code HotspotAlert} appears without a change here.
 *   <li>{@code wecom}: a WeCom group robot markdown message {@code
 *       {"msgtype":"markdown","markdown":{"content":...}}}.
 *   <li>{@code dingtalk}: a DingTalk robot markdown message {@code
 *       {"msgtype":"markdown","markdown":{"title":...,"text":...}}}.
 * </ul>
 *
 * <p>The chat messages lead with the Chinese summary ({@code summaryZh}), then the key figures:
 * state, level, scope, observed against expected, the evidence window, leading items and streets.
 */
public final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** WeCom rejects markdown content above 4096 bytes; keep a margin. */
    static final int WECOM_MAX_BYTES = 4000;

    /** DingTalk allows 20000 bytes of markdown text; stay well below. */
    static final int DINGTALK_MAX_BYTES = 16000;

    private static final int TOP = 5;

    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private static final Map<String, String> MAJOR_ZH = majorNames();

    private Payloads() {}

    /** The body of {@code alert} for {@code subscriber}, as sent (and signed). */
    public static String body(
            HotspotAlert alert, Subscriber subscriber, String idempotencyKey, ZoneId zone) {
        ObjectNode root =
                switch (subscriber.format()) {
                    case WEBHOOK -> webhook(alert, subscriber.name(), idempotencyKey);
                    case WECOM -> wecom(alert, zone);
                    case DINGTALK -> dingTalk(alert, zone);
                };
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render alert " + alert.getAlertId(), e);
        }
    }

    static ObjectNode webhook(HotspotAlert alert, String subscriber, String idempotencyKey) {
        ObjectNode root = JSON.createObjectNode();
        root.put("subscriber", subscriber);
        root.put("idempotencyKey", idempotencyKey);
        putFields(root, alert);
        return root;
    }

    static ObjectNode wecom(HotspotAlert alert, ZoneId zone) {
        ObjectNode root = JSON.createObjectNode();
        root.put("msgtype", "markdown");
        root.putObject("markdown")
                .put("content", truncate(markdown(alert, zone, true), WECOM_MAX_BYTES));
        return root;
    }

    static ObjectNode dingTalk(HotspotAlert alert, ZoneId zone) {
        ObjectNode root = JSON.createObjectNode();
        root.put("msgtype", "markdown");
        root.putObject("markdown")
                .put("title", title(alert))
                .put("text", truncate(markdown(alert, zone, false), DINGTALK_MAX_BYTES));
        return root;
    }

    /** The notification title a phone shows, e.g. {@code CityPulse 新告警：噪声 · 福田}. */
    static String title(HotspotAlert alert) {
        String where = alert.getDistrict() == null ? "" : " · " + alert.getDistrict();
        return "CityPulse " + stateZh(alert) + "：" + majorZh(alert.getCategoryMajor()) + where;
    }

    static String markdown(HotspotAlert alert, ZoneId zone, boolean wecom) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(title(alert)).append("\n");
        String summary =
                alert.getSummaryZh() == null || alert.getSummaryZh().isBlank()
                        ? scopeZh(alert) + "工单量高于常态"
                        : alert.getSummaryZh();
        md.append("**").append(summary).append("**\n\n");
        String state = stateZh(alert) + "（" + alert.getState() + "）";
        if (wecom) {
            String colour =
                    switch (alert.getState()) {
                        case RESOLVED -> "info";
                        case UPDATED -> "comment";
                        default -> "warning";
                    };
            state = "<font color=\"" + colour + "\">" + state + "</font>";
        }
        md.append("> 状态：").append(state).append("\n");
        md.append("> 级别：")
                .append(levelZh(alert))
                .append("（")
                .append(alert.getLevel())
                .append("）\n");
        md.append("> 范围：").append(scopeZh(alert)).append("\n");
        md.append("> 观测/预期：**")
                .append(alert.getObserved())
                .append("** / ")
                .append(String.format(Locale.ROOT, "%.1f", alert.getExpected()))
                .append("（显著性 ")
                .append(String.format(Locale.ROOT, "%.1f", alert.getScore()))
                .append("）\n");
        md.append("> 窗口：")
                .append(local(alert.getWindowStart(), zone))
                .append(" – ")
                .append(local(alert.getWindowEnd(), zone))
                .append("\n");
        if (alert.getLeadDriven()) {
            md.append("> 网络线索先于工单发现（未诉先办）\n");
        }
        appendTop(md, "主要事项", alert.getTopItems());
        appendTop(md, "主要街道", alert.getTopStreets());
        appendTop(md, "主要区", alert.getTopDistricts());
        appendTop(md, "承办单位", alert.getTopAgencies());
        md.append("> 告警编号：")
                .append(alert.getAlertId())
                .append(" · 第 ")
                .append(alert.getRevision())
                .append(" 版 · 始于 ")
                .append(local(alert.getOpenedAt(), zone))
                .append("\n");
        if (alert.getSummaryEn() != null && !alert.getSummaryEn().isBlank()) {
            md.append("\n").append(alert.getSummaryEn()).append("\n");
        }
        return md.toString();
    }

    private static void appendTop(StringBuilder md, String label, List<NamedCount> counts) {
        if (counts == null || counts.isEmpty()) {
            return;
        }
        md.append("> ")
                .append(label)
                .append("：")
                .append(
                        counts.stream()
                                .limit(TOP)
                                .map(c -> c.getName() + " " + c.getCount())
                                .collect(Collectors.joining("、")))
                .append("\n");
    }

    static String stateZh(HotspotAlert alert) {
        return switch (alert.getState()) {
            case OPENED -> "新告警";
            case UPDATED -> "告警更新";
            case ESCALATED -> "告警升级";
            case RESOLVED -> "告警解除";
            default -> "告警";
        };
    }

    static String levelZh(HotspotAlert alert) {
        return switch (alert.getLevel()) {
            case SPIKE -> "突增，请立即关注";
            case CASE_CATEGORY -> "类案治理，纳入每周一议";
            default -> "未知";
        };
    }

    static String scopeZh(HotspotAlert alert) {
        String major = majorZh(alert.getCategoryMajor());
        return switch (alert.getScope()) {
            case ITEM -> "事项 " + alert.getCategoryCode() + "（" + major + "）";
            case DISTRICT -> alert.getDistrict() + " " + major;
            default -> "全市 " + major;
        };
    }

    /** {@code 噪声 NOISE} for a catalogue major, the code alone otherwise. */
    static String majorZh(String code) {
        String zh = MAJOR_ZH.get(code);
        return zh == null || zh.isEmpty() ? code : zh + " " + code;
    }

    private static String local(Instant t, ZoneId zone) {
        return t == null ? "-" : LOCAL.format(t.atZone(zone));
    }

    /** Cuts {@code text} to at most {@code maxBytes} UTF-8 bytes on a code point boundary. */
    static String truncate(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        String ellipsis = "…";
        int budget = maxBytes - ellipsis.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return out.append(ellipsis).toString();
    }

    private static void putFields(ObjectNode node, SpecificRecord record) {
        for (Schema.Field field : record.getSchema().getFields()) {
            putValue(node, field.name(), record.get(field.pos()));
        }
    }

    private static void putValue(ObjectNode node, String name, Object value) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof Instant t) {
            node.put(name, t.toString());
            node.put(name + "Ms", t.toEpochMilli());
        } else if (value instanceof List<?> list) {
            ArrayNode array = node.putArray(name);
            for (Object item : list) {
                addValue(array, item);
            }
        } else if (value instanceof SpecificRecord r) {
            putFields(node.putObject(name), r);
        } else {
            node.set(name, JSON.valueToTree(scalar(value)));
        }
    }

    private static void addValue(ArrayNode array, Object value) {
        if (value instanceof SpecificRecord r) {
            ObjectNode o = array.addObject();
            putFields(o, r);
        } else if (value instanceof Instant t) {
            array.add(t.toString());
        } else {
            array.add(JSON.valueToTree(scalar(value)));
        }
    }

    private static Object scalar(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        return value;
    }

    private static Map<String, String> majorNames() {
        Map<String, String> names = new HashMap<>();
        try {
            for (MajorCategory m : Catalogue.load().majorCategories()) {
                names.put(m.code(), m.nameZh());
            }
        } catch (RuntimeException e) {
            // Without the catalogue the codes alone are shown.
        }
        return Map.copyOf(names);
    }
}
