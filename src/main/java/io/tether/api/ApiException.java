package io.tether.api;

/**
 * The one error type of the API: a status that maps to an HTTP status (and, on sockets, to a close
 * code), a human detail, and the offending field for validation errors.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;
  private final Long retryAfterSeconds;

  public ApiException(int status, String detail) {
    this(status, detail, null, null);
  }

  public ApiException(int status, String detail, String field, Long retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String field, String detail) {
    return new ApiException(400, detail, field, null);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, detail);
  }

  public static ApiException conflict(String field, String detail) {
    return new ApiException(409, detail, field, null);
  }

  public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
    return new ApiException(429, detail, null, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
