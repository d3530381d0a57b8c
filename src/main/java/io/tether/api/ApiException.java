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
  private final String type;
  private final String title;

  public ApiException(int status, String detail) {
    this(status, detail, null, null);
  }

  public ApiException(int status, String detail, String field, Long retryAfterSeconds) {
    this(status, detail, field, retryAfterSeconds, null, null);
  }

  private ApiException(
      int status, String detail, String field, Long retryAfterSeconds, String type, String title) {
    super(detail);
    this.status = status;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
    this.type = type;
    this.title = title;
  }

  /**
   * A problem of a kind clients recognise by its {@code type} URI (and people by its title), not
   * only by its status.
   */
  public static ApiException typed(int status, String type, String title, String detail) {
    return new ApiException(status, detail, null, null, type, title);
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

  /** The problem type URI; null: {@code about:blank}, the status says it all. */
  public String type() {
    return type;
  }

  /** The title of a typed problem; null: the status's reason phrase. */
  public String title() {
    return title;
  }
}
