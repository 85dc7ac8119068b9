package com.quanyi.persistence.vault;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * One line of a code import file: {@code code} or {@code code,expiresAt}, UTF-8. A first line
 * that is a header ({@code code} or {@code code,expiresAt}) is skipped. Reasons for refusing a
 * line never quote it: the line may be a code.
 */
public sealed interface CsvCodeLine {

  int MAX_CODE_LENGTH = 256;

  record Code(long line, String code, Instant expiresAt) implements CsvCodeLine {
    @Override
    public String toString() {
      return "Code[line=" + line + "]";
    }
  }

  record Invalid(long line, String reason) implements CsvCodeLine {}

  record Header(long line) implements CsvCodeLine {}

  static CsvCodeLine parse(byte[] bytes, long line, Instant now) {
    String text;
    try {
      CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      text = chars.toString();
    } catch (CharacterCodingException e) {
      return new Invalid(line, "not valid UTF-8");
    }
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (line == 1 && (text.strip().equalsIgnoreCase("code") || text.strip().replace(" ", "").equalsIgnoreCase("code,expiresAt"))) {
      return new Header(line);
    }
    int comma = text.indexOf(',');
    String code = (comma < 0 ? text : text.substring(0, comma)).strip();
    if (line == 1 && !code.isEmpty() && code.charAt(0) == '\uFEFF') {
      code = code.substring(1).strip();
    }
    if (code.isEmpty()) {
      return new Invalid(line, comma < 0 && text.isBlank() ? "empty line" : "empty code");
    }
    if (code.length() > MAX_CODE_LENGTH) {
      return new Invalid(line, "code longer than " + MAX_CODE_LENGTH + " characters");
    }
    if (code.chars().anyMatch(c -> Character.isISOControl(c))) {
      return new Invalid(line, "code contains control characters");
    }
    Instant expiresAt = null;
    if (comma >= 0) {
      String expiry = text.substring(comma + 1).strip();
      if (expiry.contains(",")) {
        return new Invalid(line, "more than two fields");
      }
      try {
        expiresAt = expiry.length() == 10
            ? LocalDate.parse(expiry).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
            : Instant.parse(expiry);
      } catch (DateTimeParseException e) {
        return new Invalid(line, "expiresAt is not an ISO-8601 date or UTC instant");
      }
      if (!expiresAt.isAfter(now)) {
        return new Invalid(line, "already expired");
      }
    }
    return new Code(line, code, expiresAt);
  }
}
