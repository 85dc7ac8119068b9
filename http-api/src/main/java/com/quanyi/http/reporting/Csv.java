package com.quanyi.http.reporting;

import java.util.List;
import java.util.StringJoiner;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * CSV exports (RFC 4180), streamed: each row is written as it is read, as a chunked response, so
 * an export of any size holds only what the source holds (a page). Text that a spreadsheet would
 * run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
final class Csv {

  private Csv() {}

  static <T> HttpResponse stream(String filename, List<String> header, Source<T, NotUsed> rows,
      java.util.function.Function<T, List<Object>> columns) {
    Source<ByteString, NotUsed> bytes = Source.single(line(header.stream().map(h -> (Object) h).toList()))
        .concat(rows.map(row -> line(columns.apply(row))));
    return HttpResponse.create()
        .withEntity(HttpEntities.createChunked(ContentTypes.TEXT_CSV_UTF8, bytes))
        .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT,
            java.util.Map.of("filename", filename)));
  }

  static ByteString line(List<Object> values) {
    StringJoiner joiner = new StringJoiner(",", "", "\r\n");
    for (Object value : values) {
      joiner.add(value == null ? "" : value instanceof Number ? value.toString() : text(value.toString()));
    }
    return ByteString.fromString(joiner.toString());
  }

  static String text(String value) {
    String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
