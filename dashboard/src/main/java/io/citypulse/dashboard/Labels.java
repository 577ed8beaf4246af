package io.citypulse.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Display names for the page: the 18 major categories (the catalogue's majors.csv, built into the
 * jar) and the districts of the synthetic Shenzhen, each in Chinese and English. Codes the page
 * does not know are shown as they are.
 */
final class Labels {

    private static final String[][] DISTRICTS = {
        {"Futian", "福田"},
        {"Luohu", "罗湖"},
        {"Yantian", "盐田"},
        {"Nanshan", "南山"},
        {"Baoan", "宝安"},
        {"Longgang", "龙岗"},
        {"Longhua", "龙华"},
        {"Pingshan", "坪山"},
        {"Guangming", "光明"},
        {"Dapeng", "大鹏新区"}
    };

    private Labels() {}

    static List<Map<String, String>> districts() {
        List<Map<String, String>> out = new ArrayList<>();
        for (String[] d : DISTRICTS) {
            out.add(Map.of("code", d[0], "en", d[0], "zh", d[1]));
        }
        return out;
    }

    static List<Map<String, String>> categories() {
        List<Map<String, String>> out = new ArrayList<>();
        try (InputStream in = Labels.class.getResourceAsStream("majors.csv")) {
            if (in == null) {
                return out;
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = true;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false; // major,name,name_zh
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length >= 3) {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("code", f[0].strip());
                    m.put("en", f[1].strip());
                    m.put("zh", f[2].strip());
                    out.add(m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
