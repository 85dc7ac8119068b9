package com.quanyi.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests the HTTP parser refuses before any route sees them (a URI or header past its limit, a
 * broken request line) get the same typed problem as every other refusal, with the parser's
 * status (414, 431, 400...). Configured as {@code pekko.http.server.parsing.error-handler}.
 */
public final class UnparsableRequests extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    ProblemCode code = status.intValue() == 413 ? ProblemCode.PAYLOAD_TOO_LARGE : ProblemCode.INVALID_REQUEST;
    // The parser's own message may quote a header (a token, a signature): only the status's reason is shown.
    Problem problem = new Problem(code.type(), code.title(), status.intValue(),
        "the request could not be read: " + status.reason(), code.name());
    return (HttpResponse) org.apache.pekko.http.javadsl.model.HttpResponse.create()
        .withStatus(status.intValue())
        .withEntity(ApiDirectives.PROBLEM_JSON, ApiJson.write(problem));
  }
}
