package io.citypulse.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Plain ClickHouse HTTP queries ({@code FORMAT JSONEachRow}), as a dashboard would send them: the
 * drills read the tables without the jobs' JDBC code. Credentials from CLICKHOUSE_USER /
 * CLICKHOUSE_PASSWORD when set.
 */
final class ClickHouseHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String database;

    ClickHouseHttp(String url, String database) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.database = database;
    }

    /** Rows of a SELECT (the query must not carry a FORMAT clause). */
    List<JsonNode> query(String sql) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(
                                URI.create(
                                        url
                                                + "/?database="
                                                + URLEncoder.encode(
                                                        database, StandardCharsets.UTF_8)
                                                + "&output_format_json_quote_64bit_integers=0"))
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(sql + " FORMAT JSONEachRow"));
        String user = System.getenv("CLICKHOUSE_USER");
        if (user != null && !user.isEmpty()) {
            String password = System.getenv().getOrDefault("CLICKHOUSE_PASSWORD", "");
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            (user + ":" + password)
                                                    .getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response =
                client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "ClickHouse answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }
}
