package com.quanyi.http;

/**
 * An RFC 9457 problem detail as the API returns it, with the stable {@code code}. The detail is
 * written for the caller and never carries a card code, a secret or an internal exception text.
 */
public record Problem(String type, String title, int status, String detail, String code) {

  public static Problem of(ProblemCode code, String detail) {
    return new Problem(code.type(), code.title(), code.status(), detail, code.name());
  }
}
