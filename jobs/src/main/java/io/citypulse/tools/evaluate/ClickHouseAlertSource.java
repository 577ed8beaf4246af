package io.citypulse.tools.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The alerts as the {@code alerts} table holds them: {@code SELECT ... FROM alerts FINAL FORMAT
 * JSONEachRow} over the plain ClickHouse HTTP interface (java.net.http, no JDBC), so it reads the
 * local adapter and a real server alike. FINAL keeps each alert id's highest revision.
 */
public final class ClickHouseAlertSource implements AlertSource {

    static final String QUERY =
            "SELECT alert_id, scope, category_major, category_code, district, lead_driven,"
                    + " toUnixTimestamp64Milli(opened_at) AS opened_at_ms, revision"
                    + " FROM alerts FINAL ORDER BY opened_at, alert_id FORMAT JSONEachRow";

    private final String url;
    private final String database;
    private final String user;
    private final String password;
    private final ZoneId zone;

    /**
     * @param url the server, e.g. {@code http://127.0.0.1:18123}
     * @param user null or empty for none (the server's default user)
     * @param password null or empty for none
     */
    public ClickHouseAlertSource(
            String url, String database, String user, String password, ZoneId zone) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.database = database;
        this.user = user;
        this.password = password;
        this.zone = zone;
    }

    @Override
    public List<AlertRecord> alerts() throws IOException {
        URI uri;
        try {
            uri =
                    URI.create(
                            url
                                    + "/?database="
                                    + URLEncoder.encode(database, StandardCharsets.UTF_8)
                                    + "&output_format_json_quote_64bit_integers=0");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--clickhouse-url: not a URL: " + url);
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofMinutes(5))
                        .POST(HttpRequest.BodyPublishers.ofString(QUERY));
        boolean hasUser = user != null && !user.isEmpty() && !user.equals("default");
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasUser || hasPassword) {
            String auth = (user == null || user.isEmpty() ? "default" : user) + ":" + password;
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response =
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .build()
                            .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException(
                    "ClickHouse at " + url + " does not answer (is the stack up? scripts/stack up)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the alerts", e);
        }
        if (response.statusCode() != 200) {
            String code = response.headers().firstValue("X-ClickHouse-Exception-Code").orElse("?");
            throw new IOException(
                    "ClickHouse "
                            + url
                            + " database "
                            + database
                            + ": HTTP "
                            + response.statusCode()
                            + " (code "
                            + code
                            + "): "
                            + response.body().strip());
        }
        ObjectMapper mapper = new ObjectMapper();
        List<AlertRecord> alerts = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = mapper.readTree(line);
            alerts.add(Rows.alert(row, zone));
        }
        return alerts;
    }

    @Override
    public String toString() {
        return "ClickHouse " + url + " database " + database + " (alerts FINAL)";
    }
}
