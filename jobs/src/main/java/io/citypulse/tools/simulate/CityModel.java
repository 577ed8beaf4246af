package io.citypulse.tools.simulate;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a city looks like to the simulator: its districts and the mixes of channels, categories and
 * internet platforms that its citizens produce. Rates, shares and delays are in {@link
 * SimulationSettings}; the catalogue of matters is {@link io.citypulse.catalogue.Catalogue}.
 *
 * <p>The first city is Shenzhen ({@link #shenzhen()}). Mixes are ordered maps so that choices are
 * deterministic; weights are relative and need not sum to 1.
 *
 * @param ticketMajorWeights share of each major category among tickets (hotline, app, ...)
 * @param leadMajorWeights share of each major category among internet leads; differs from tickets
 *     (street-level problems are posted more, labour disputes less)
 * @param channelWeights intake channel mix of tickets (LEAD tickets come from converted leads)
 * @param platformWeights internet platforms watched for leads, with their share of captures
 * @param ticketArrivals shape of ticket arrivals over the local day and week
 * @param leadArrivals shape of lead captures (posts) over the local day and week
 */
record CityModel(
        String name,
        ZoneId defaultZone,
        List<District> districts,
        Map<String, Double> ticketMajorWeights,
        Map<String, Double> leadMajorWeights,
        Map<String, Double> channelWeights,
        Map<String, Double> platformWeights,
        ArrivalProfile ticketArrivals,
        ArrivalProfile leadArrivals) {

    /** Channel of tickets converted from internet leads. */
    static final String LEAD_CHANNEL = "LEAD";

    CityModel {
        districts = List.copyOf(districts);
        ticketMajorWeights = ordered(ticketMajorWeights);
        leadMajorWeights = ordered(leadMajorWeights);
        channelWeights = ordered(channelWeights);
        platformWeights = ordered(platformWeights);
    }

    private static void majors(
            Map<String, Double> tickets,
            Map<String, Double> leads,
            String major,
            double ticketShare,
            double leadShare) {
        tickets.put(major, ticketShare);
        leads.put(major, leadShare);
    }

    private static Map<String, Double> ordered(Map<String, Double> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Shenzhen: its ten districts (population from the 2020 census, so Bao'an and Longgang are the
     * largest and Dapeng and Yantian the smallest), a few real streets each, the 18 major
     * categories and 42 watched internet platforms, in mixes in line with what the 12345 platform
     * publishes (consumer disputes, road traffic and labour disputes each 6-10% of internet leads).
     */
    static CityModel shenzhen() {
        List<District> districts =
                List.of(
                        new District(
                                "Futian",
                                155.3,
                                22.541,
                                114.055,
                                0.018,
                                List.of(
                                        "Shatou",
                                        "Lianhua",
                                        "Meilin",
                                        "Huaqiangbei",
                                        "Futianbao",
                                        "Xiangmihu")),
                        new District(
                                "Luohu",
                                114.4,
                                22.548,
                                114.131,
                                0.018,
                                List.of("Dongmen", "Huangbei", "Cuizhu", "Sungang", "Liantang")),
                        new District(
                                "Yantian",
                                21.5,
                                22.557,
                                114.237,
                                0.022,
                                List.of("Shatoujiao", "Haishan", "Yantian", "Meisha")),
                        new District(
                                "Nanshan",
                                179.6,
                                22.533,
                                113.930,
                                0.028,
                                List.of("Nantou", "Shekou", "Yuehai", "Taoyuan", "Xili", "Shahe")),
                        new District(
                                "Baoan",
                                447.7,
                                22.600,
                                113.860,
                                0.040,
                                List.of(
                                        "Xinan",
                                        "Xixiang",
                                        "Fuyong",
                                        "Shajing",
                                        "Songgang",
                                        "Shiyan")),
                        new District(
                                "Longgang",
                                397.9,
                                22.690,
                                114.220,
                                0.045,
                                List.of("Buji", "Bantian", "Henggang", "Longcheng", "Pingdi")),
                        new District(
                                "Longhua",
                                252.9,
                                22.690,
                                114.040,
                                0.028,
                                List.of("Longhua", "Minzhi", "Dalang", "Guanlan", "Fucheng")),
                        new District(
                                "Pingshan",
                                55.1,
                                22.700,
                                114.350,
                                0.028,
                                List.of("Pingshan", "Kengzi", "Shijing", "Biling")),
                        new District(
                                "Guangming",
                                109.5,
                                22.750,
                                113.930,
                                0.025,
                                List.of("Guangming", "Gongming", "Matian", "Fenghuang")),
                        new District(
                                "Dapeng",
                                15.6,
                                22.590,
                                114.480,
                                0.035,
                                List.of("Dapeng", "Kuichong", "Nanao")));

        // Shares of the 18 major categories. Tickets: housing, consumer disputes, traffic and
        // noise lead, as on 12345 platforms. Leads: street-level problems (roads, sanitation) are
        // posted more, government services hardly at all; consumer disputes, road traffic and
        // labour disputes are each 6-10% of leads.
        Map<String, Double> ticketMajors = new LinkedHashMap<>();
        Map<String, Double> leadMajors = new LinkedHashMap<>();
        majors(ticketMajors, leadMajors, "HOUSING", 0.13, 0.08);
        majors(ticketMajors, leadMajors, "CONSUMER", 0.12, 0.08);
        majors(ticketMajors, leadMajors, "TRAFFIC", 0.09, 0.08);
        majors(ticketMajors, leadMajors, "NOISE", 0.09, 0.09);
        majors(ticketMajors, leadMajors, "LABOUR", 0.08, 0.07);
        majors(ticketMajors, leadMajors, "SANITATION", 0.06, 0.12);
        majors(ticketMajors, leadMajors, "ROADS", 0.06, 0.11);
        majors(ticketMajors, leadMajors, "WATER", 0.04, 0.05);
        majors(ticketMajors, leadMajors, "ENVIRONMENT", 0.04, 0.07);
        majors(ticketMajors, leadMajors, "GREENING", 0.03, 0.04);
        majors(ticketMajors, leadMajors, "ENERGY", 0.03, 0.03);
        majors(ticketMajors, leadMajors, "SAFETY", 0.03, 0.05);
        majors(ticketMajors, leadMajors, "SECURITY", 0.03, 0.04);
        majors(ticketMajors, leadMajors, "EDUCATION", 0.04, 0.03);
        majors(ticketMajors, leadMajors, "HEALTH", 0.04, 0.02);
        majors(ticketMajors, leadMajors, "WELFARE", 0.02, 0.01);
        majors(ticketMajors, leadMajors, "PLANNING", 0.02, 0.02);
        majors(ticketMajors, leadMajors, "GOVSERVICE", 0.05, 0.01);

        Map<String, Double> channels = new LinkedHashMap<>();
        channels.put("HOTLINE", 0.55);
        channels.put("WECHAT", 0.18);
        channels.put("APP", 0.15);
        channels.put("WEB", 0.08);
        channels.put("MAYOR_MAILBOX", 0.04);

        // The 42 internet platforms the lead team watches, with their share of captured leads:
        // short video and micro-blogs first, then news apps, forums, review and complaint sites,
        // local media and property and car portals.
        Map<String, Double> platforms = new LinkedHashMap<>();
        platforms.put("DOUYIN", 0.150);
        platforms.put("WEIBO", 0.110);
        platforms.put("WECHAT_CHANNELS", 0.080);
        platforms.put("XIAOHONGSHU", 0.070);
        platforms.put("KUAISHOU", 0.060);
        platforms.put("TOUTIAO", 0.055);
        platforms.put("WECHAT_OFFICIAL_ACCOUNTS", 0.045);
        platforms.put("BAIDU_TIEBA", 0.035);
        platforms.put("DIANPING", 0.030);
        platforms.put("BLACK_CAT_COMPLAINTS", 0.030);
        platforms.put("ZHIHU", 0.025);
        platforms.put("BILIBILI", 0.025);
        platforms.put("PEOPLE_LEADERS_MESSAGE_BOARD", 0.020);
        platforms.put("TENCENT_NEWS", 0.018);
        platforms.put("NETEASE_NEWS", 0.016);
        platforms.put("BAIDU_BAIJIAHAO", 0.016);
        platforms.put("SHENZHEN_NEWS_NET", 0.015);
        platforms.put("DUTE", 0.014);
        platforms.put("SHENZHEN_PLUS", 0.012);
        platforms.put("NANFANG_PLUS", 0.012);
        platforms.put("XIGUA_VIDEO", 0.011);
        platforms.put("SINA_NEWS", 0.010);
        platforms.put("SOHU_NEWS", 0.009);
        platforms.put("IFENG_NEWS", 0.008);
        platforms.put("HAOKAN_VIDEO", 0.008);
        platforms.put("DOUBAN", 0.008);
        platforms.put("MEITUAN", 0.008);
        platforms.put("JU_TOUSU", 0.008);
        platforms.put("QQ_ZONE", 0.007);
        platforms.put("HUPU", 0.006);
        platforms.put("TIANYA", 0.005);
        platforms.put("BEIKE", 0.006);
        platforms.put("ANJUKE", 0.005);
        platforms.put("AUTOHOME", 0.005);
        platforms.put("DONGCHEDI", 0.005);
        platforms.put("MAIMAI", 0.005);
        platforms.put("KANZHUN", 0.004);
        platforms.put("JINGBAO", 0.004);
        platforms.put("SHENZHEN_SPECIAL_ZONE_DAILY", 0.004);
        platforms.put("PEARL_RIVER_WEB", 0.003);
        platforms.put("CCTV_NEWS_APP", 0.003);
        platforms.put("PEOPLES_DAILY_APP", 0.003);

        return new CityModel(
                "Shenzhen",
                ZoneId.of("Asia/Shanghai"),
                districts,
                ticketMajors,
                leadMajors,
                channels,
                platforms,
                ArrivalProfile.hotline(),
                ArrivalProfile.online());
    }
}
