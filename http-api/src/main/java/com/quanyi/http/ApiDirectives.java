package com.quanyi.http;

import com.quanyi.protocol.reporting.InvalidCursor;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.pattern.AskTimeoutException;

/** What every route class shares: JSON in and out, problem+json errors, asking entities. */
public abstract class ApiDirectives extends AllDirectives {

  public static final ContentType.NonBinary PROBLEM_JSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

  /** Parses the JSON body as {@code type}; a bad body ends in a 400 before {@code inner} runs. */
  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    return entity(Unmarshaller.entityToByteString(), bytes -> inner.apply(ApiJson.read(bytes.toArray(), type)));
  }

  public static HttpResponse json(int status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, ApiJson.write(body));
  }

  public static HttpResponse problem(ProblemCode code, String detail) {
    HttpResponse response = HttpResponse.create()
        .withStatus(code.status())
        .withEntity(PROBLEM_JSON, ApiJson.write(Problem.of(code, detail)));
    if (code == ProblemCode.OVERLOADED || code == ProblemCode.UNAVAILABLE) {
      response = response.addHeader(RetryAfter.create(1L));
    }
    return response;
  }

  protected Route completeProblem(ProblemCode code, String detail) {
    return complete(problem(code, detail));
  }

  /**
   * Completes with what {@code reply} maps to once an entity answered; an entity that does not
   * answer in time is a 503 the caller may retry, never a 500 or a hung request.
   */
  protected <R> Route onReply(CompletionStage<R> reply, Function<R, HttpResponse> toResponse) {
    return onComplete(reply, result -> {
      if (result.isSuccess()) {
        return complete(toResponse.apply(result.get()));
      }
      return complete(failed(result.failed().get()));
    });
  }

  /**
   * A reply that failed: a 400 when what the client sent was found wrong on the way (a cursor only
   * the store can read), otherwise a 503 the caller may retry.
   */
  /** As {@link #onReply}, when what follows the answer is itself a route (another question, or a refusal). */
  protected <R> Route onReplyRoute(CompletionStage<R> reply, Function<R, Route> toRoute) {
    return onComplete(reply, result -> result.isSuccess() ? toRoute.apply(result.get())
        : complete(failed(result.failed().get())));
  }

  static HttpResponse failed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof InvalidCursor) {
      return problem(ProblemCode.INVALID_REQUEST, cause.getMessage());
    }
    if (cause instanceof TimeoutException || cause instanceof AskTimeoutException) {
      return problem(ProblemCode.UNAVAILABLE, "the platform did not answer in time; retry the same request");
    }
    return problem(ProblemCode.UNAVAILABLE, "the platform could not serve the request; retry the same request");
  }

  protected static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  protected static int created() {
    return StatusCodes.CREATED.intValue();
  }

  protected static int ok() {
    return StatusCodes.OK.intValue();
  }
}
