package com.quanyi.persistence.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CsvCodeLineTest {

  private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

  private static CsvCodeLine parse(String text, long line) {
    return CsvCodeLine.parse(text.getBytes(StandardCharsets.UTF_8), line, NOW);
  }

  @Test
  void acceptsCodesWithOptionalExpiry() {
    assertEquals(new CsvCodeLine.Code(2, "ABC-123", null), parse("ABC-123", 2));
    assertEquals(new CsvCodeLine.Code(2, "ABC-123", null), parse("  ABC-123 \r", 2));
    assertEquals(new CsvCodeLine.Code(3, "ABC", Instant.parse("2027-01-02T00:00:00Z")), parse("ABC,2027-01-01", 3));
    assertEquals(new CsvCodeLine.Code(3, "ABC", Instant.parse("2027-06-01T12:00:00Z")), parse("ABC, 2027-06-01T12:00:00Z", 3));
    assertEquals(new CsvCodeLine.Code(1, "ABC", null), parse("\uFEFFABC", 1));
  }

  @Test
  void skipsAHeaderOnlyOnTheFirstLine() {
    assertInstanceOf(CsvCodeLine.Header.class, parse("code,expiresAt", 1));
    assertInstanceOf(CsvCodeLine.Header.class, parse("CODE", 1));
    assertInstanceOf(CsvCodeLine.Code.class, parse("code", 2));
  }

  @Test
  void refusesBadLinesWithoutQuotingThem() {
    assertEquals(new CsvCodeLine.Invalid(4, "empty line"), parse("", 4));
    assertEquals(new CsvCodeLine.Invalid(4, "empty line"), parse("   \r", 4));
    assertEquals(new CsvCodeLine.Invalid(4, "empty code"), parse(",2027-01-01", 4));
    assertEquals(new CsvCodeLine.Invalid(4, "code longer than 256 characters"), parse("X".repeat(257), 4));
    assertInstanceOf(CsvCodeLine.Code.class, parse("X".repeat(256), 4));
    assertEquals(new CsvCodeLine.Invalid(4, "code contains control characters"), parse("AB\u0007C", 4));
    assertEquals(new CsvCodeLine.Invalid(4, "expiresAt is not an ISO-8601 date or UTC instant"), parse("SECRETX,tomorrow", 4));
    assertEquals(new CsvCodeLine.Invalid(4, "already expired"), parse("SECRETX,2020-01-01", 4));
    assertEquals(new CsvCodeLine.Invalid(4, "more than two fields"), parse("A,2027-01-01,x", 4));
    CsvCodeLine.Invalid utf8 = assertInstanceOf(CsvCodeLine.Invalid.class,
        CsvCodeLine.parse(new byte[] {'A', (byte) 0xC3, (byte) 0x28, 'B'}, 9, NOW));
    assertEquals("not valid UTF-8", utf8.reason());
    assertFalse(parse("SECRETX,tomorrow", 4).toString().contains("SECRETX"));
    assertFalse(parse("SECRETX", 4).toString().contains("SECRETX"));
  }
}
