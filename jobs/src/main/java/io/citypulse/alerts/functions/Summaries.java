package io.citypulse.alerts.functions;

import io.citypulse.avro.AlertLevel;
import io.citypulse.avro.AlertState;
import io.citypulse.avro.HotspotAlert;
import io.citypulse.avro.NamedCount;
import java.util.List;
import java.util.Locale;

/** The human-readable lines of an alert, in English and Chinese, built from its fields. */
final class Summaries {

    private Summaries() {}

    static String english(HotspotAlert a, int minutes) {
        StringBuilder b = new StringBuilder();
        b.append(
                switch (a.getState()) {
                    case OPENED -> "New alert";
                    case UPDATED -> "Still elevated";
                    case ESCALATED -> "Escalated to case-category treatment";
                    case RESOLVED -> "Back to normal";
                    default -> "Alert";
                });
        b.append(": ").append(a.getCategoryMajor());
        if (a.getCategoryCode() != null) {
            b.append(" / ").append(a.getCategoryCode());
        }
        if (a.getDistrict() != null) {
            b.append(" in ").append(a.getDistrict());
        }
        b.append(". ");
        boolean leadsOnly = !a.getTicketsElevated() && a.getLeadsElevated();
        b.append(a.getObserved())
                .append(leadsOnly ? " internet leads" : " tickets")
                .append(" in the last ")
                .append(window(minutes, false))
                .append(String.format(Locale.ROOT, " against %.1f expected", a.getExpected()));
        if (a.getExpected() > 0) {
            b.append(String.format(Locale.ROOT, " (%.1fx)", a.getObserved() / a.getExpected()));
        }
        b.append('.');
        if (a.getLeadDriven()) {
            b.append(
                    a.getTicketsElevated()
                            ? " Raised by internet leads; tickets followed."
                            : " Raised by internet leads before tickets.");
        }
        if (!a.getTopItems().isEmpty() && a.getCategoryCode() == null) {
            b.append(" Top items: ").append(names(a.getTopItems())).append('.');
        }
        if (!a.getTopStreets().isEmpty()) {
            b.append(" Streets: ").append(names(a.getTopStreets())).append('.');
        }
        if (a.getDaysElevated() > 1) {
            b.append(" Elevated on ").append(a.getDaysElevated()).append(" of the last 7 days.");
        }
        if (a.getLevel() == AlertLevel.CASE_CATEGORY && a.getState() != AlertState.RESOLVED) {
            b.append(" Proposed for the weekly case-category review.");
        }
        return b.toString();
    }

    static String chinese(HotspotAlert a, String majorZh, int minutes) {
        StringBuilder b = new StringBuilder();
        b.append(
                switch (a.getState()) {
                    case OPENED -> "【新预警】";
                    case UPDATED -> "【持续高发】";
                    case ESCALATED -> "【升级为类案治理】";
                    case RESOLVED -> "【已恢复正常】";
                    default -> "【预警】";
                });
        b.append(majorZh.isEmpty() ? a.getCategoryMajor() : majorZh);
        if (a.getCategoryCode() != null) {
            b.append("（").append(a.getCategoryCode()).append("）");
        }
        if (a.getDistrict() != null) {
            b.append("·").append(a.getDistrict());
        }
        b.append("：");
        boolean leadsOnly = !a.getTicketsElevated() && a.getLeadsElevated();
        b.append("近").append(window(minutes, true));
        b.append(leadsOnly ? "网络线索" : "受理工单").append(a.getObserved()).append(leadsOnly ? "条" : "件");
        b.append(String.format(Locale.ROOT, "，常态约%.1f", a.getExpected()));
        if (a.getExpected() > 0) {
            b.append(String.format(Locale.ROOT, "（%.1f倍）", a.getObserved() / a.getExpected()));
        }
        b.append("。");
        if (a.getLeadDriven()) {
            b.append(a.getTicketsElevated() ? "网络线索先行预警，工单随后上升。" : "网络线索先于工单出现异常。");
        }
        if (!a.getTopItems().isEmpty() && a.getCategoryCode() == null) {
            b.append("主要事项：").append(names(a.getTopItems())).append("。");
        }
        if (!a.getTopStreets().isEmpty()) {
            b.append("集中街道：").append(names(a.getTopStreets())).append("。");
        }
        if (a.getDaysElevated() > 1) {
            b.append("近7天有").append(a.getDaysElevated()).append("天高发。");
        }
        if (a.getLevel() == AlertLevel.CASE_CATEGORY && a.getState() != AlertState.RESOLVED) {
            b.append("建议纳入每周一议类案治理。");
        }
        return b.toString();
    }

    private static String window(int minutes, boolean chinese) {
        if (minutes % 60 == 0 && minutes > 0) {
            int h = minutes / 60;
            return chinese ? h + "小时" : (h == 1 ? "hour" : h + " hours");
        }
        return chinese ? minutes + "分钟" : minutes + " minutes";
    }

    private static String names(List<NamedCount> list) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, list.size()); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(list.get(i).getName()).append(" (").append(list.get(i).getCount()).append(')');
        }
        return b.toString();
    }
}
