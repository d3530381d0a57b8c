package io.tether.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.tether.db.DatabaseAway;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every error the API can raise to problem JSON; nothing answers with a stack trace. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Response response = Problem.of(e).toResponse();
    if (e.retryAfterSeconds() != null) {
      return Response.fromResponse(response)
          .header("Retry-After", Long.toString(e.retryAfterSeconds()))
          .build();
    }
    return response;
  }

  @ServerExceptionMapper
  public Response validation(ConstraintViolationException e) {
    ConstraintViolation<?> first = e.getConstraintViolations().iterator().next();
    String field = field(first.getPropertyPath());
    return Problem.of(400, field + ": " + first.getMessage(), field).toResponse();
  }

  @ServerExceptionMapper
  public Response unreadable(JsonProcessingException e) {
    String field = e instanceof JsonMappingException mapping ? fieldOf(mapping) : null;
    if (e instanceof JsonInputGuards.Refused refused && field != null) {
      return Problem.of(400, field + ": " + refused.getOriginalMessage(), field).toResponse();
    }
    if (e instanceof MismatchedInputException && field != null) {
      String detail =
          e instanceof InvalidFormatException invalid
              ? field + ": '" + invalid.getValue() + "' is not a valid value"
              : field + ": wrong type";
      return Problem.of(400, detail, field).toResponse();
    }
    if (field != null) {
      return Problem.of(400, field + ": not a valid value", field).toResponse();
    }
    return Problem.of(400, "the request body is not valid JSON", null).toResponse();
  }

  /** The innermost named property on the path: {@code tags} for {@code tags[3]}. */
  private static String fieldOf(JsonMappingException e) {
    String field = null;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        field = ref.getFieldName();
      }
    }
    return field;
  }

  /** Registered for the narrower type too: Quarkus' own mapper for it would win otherwise. */
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    return unreadable(e);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof ApiException api) { // e.g. a query parameter that did not convert
      return api(api);
    }
    if (e.getCause() instanceof JsonProcessingException json) {
      return unreadable(json);
    }
    String detail =
        switch (status) {
          case 404 -> "no such resource";
          case 405 -> "method not allowed on this resource";
          case 415 -> "send the body as application/json";
          case 406 -> "this resource answers application/json";
          default -> e.getMessage();
        };
    return Problem.of(status, detail, null).toResponse();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    if (DatabaseAway.in(e)) {
      // a restart of PostgreSQL, or a pooled connection that died with it: worth trying again
      LOG.warnf("a request met the database away: %s", e.toString());
      return Response.fromResponse(Problem.databaseAway().toResponse())
          .header("Retry-After", Long.toString(Problem.DATABASE_AWAY_RETRY_AFTER_SECONDS))
          .build();
    }
    java.util.Optional<String> raced = io.tether.db.UniqueRace.field(e);
    if (raced.isPresent()) {
      String field = raced.get().isEmpty() ? null : raced.get();
      return Problem.of(
              409,
              (field == null ? "a value" : field)
                  + ": another request took the same "
                  + (field == null ? "value" : field)
                  + " at the same moment; nothing was changed",
              field)
          .toResponse();
    }
    LOG.warnf("unexpected error: %s", e.toString());
    LOG.debug("unexpected error", e);
    return Problem.of(500, "internal error; the portal log has details", null).toResponse();
  }

  /**
   * The innermost named property: {@code tags} for a bad element of {@code tags} (whose own node is
   * the container element, named {@code <list element>}); a map value's property is named with its
   * key, {@code targets.console.log}.
   */
  public static String field(Path path) {
    String name = null;
    for (Path.Node node : path) {
      if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
        continue;
      }
      if (node.getKey() != null && name != null && node.getName() != null) {
        name =
            name + "." + node.getKey() + "." + node.getName(); // a map's value: targets.console.log
      } else {
        name = node.getName();
      }
    }
    return name;
  }
}
