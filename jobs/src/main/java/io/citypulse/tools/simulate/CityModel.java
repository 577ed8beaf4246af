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

    private static Map<String, Double> ordered(Map<String, Double> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * Shenzhen: its ten districts (population from the 2020 census, so Bao'an and Longgang are the
     * largest and Dapeng and Yantian the smallest), a few real streets each, and mixes in line with
     * what the 12345 platform publishes (consumer disputes, road traffic and labour disputes each
     * 6-10% of internet leads).
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

        Map<String, Double> ticketMajors = new LinkedHashMap<>();
        ticketMajors.put("HOUSING", 0.17);
        ticketMajors.put("CONSUMER", 0.16);
        ticketMajors.put("TRAFFIC", 0.12);
        ticketMajors.put("NOISE", 0.12);
        ticketMajors.put("LABOUR", 0.10);
        ticketMajors.put("SANITATION", 0.08);
        ticketMajors.put("ROADS", 0.08);
        ticketMajors.put("WATER", 0.06);
        ticketMajors.put("ENVIRONMENT", 0.06);
        ticketMajors.put("GREENING", 0.05);

        Map<String, Double> leadMajors = new LinkedHashMap<>();
        leadMajors.put("ROADS", 0.18);
        leadMajors.put("SANITATION", 0.16);
        leadMajors.put("NOISE", 0.12);
        leadMajors.put("HOUSING", 0.10);
        leadMajors.put("ENVIRONMENT", 0.10);
        leadMajors.put("WATER", 0.08);
        leadMajors.put("GREENING", 0.07);
        leadMajors.put("CONSUMER", 0.08);
        leadMajors.put("TRAFFIC", 0.08);
        leadMajors.put("LABOUR", 0.07);

        Map<String, Double> channels = new LinkedHashMap<>();
        channels.put("HOTLINE", 0.55);
        channels.put("WECHAT", 0.18);
        channels.put("APP", 0.15);
        channels.put("WEB", 0.08);
        channels.put("MAYOR_MAILBOX", 0.04);

        Map<String, Double> platforms = new LinkedHashMap<>();
        platforms.put("DOUYIN", 0.20);
        platforms.put("WEIBO", 0.14);
        platforms.put("WECHAT_CHANNELS", 0.11);
        platforms.put("XIAOHONGSHU", 0.10);
        platforms.put("TOUTIAO", 0.09);
        platforms.put("KUAISHOU", 0.08);
        platforms.put("BAIDU_TIEBA", 0.05);
        platforms.put("DIANPING", 0.05);
        platforms.put("ZHIHU", 0.04);
        platforms.put("BILIBILI", 0.04);
        platforms.put("WECHAT_OFFICIAL_ACCOUNTS", 0.06);
        platforms.put("NETEASE_NEWS", 0.04);

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
