package io.tether.api;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads query parameters so that a wrong value is a 400 naming the parameter: JAX-RS answers 404
 * when a query parameter does not convert, and would let a NUL through to the database.
 */
@Provider
public class QueryParamConverters implements ParamConverterProvider {

  @Override
  @SuppressWarnings("unchecked")
  public <T> ParamConverter<T> getConverter(
      Class<T> rawType, Type genericType, Annotation[] annotations) {
    String name = queryParamName(annotations);
    if (name == null) {
      return null;
    }
    Function<String, ?> parse;
    if (rawType == String.class) {
      parse = value -> text(name, value);
    } else if (rawType == Integer.class) {
      parse = value -> integer(name, value, Integer::valueOf);
    } else if (rawType == Long.class) {
      parse = value -> integer(name, value, Long::valueOf);
    } else if (rawType == Boolean.class) {
      parse = value -> bool(name, value);
    } else {
      return null;
    }
    return (ParamConverter<T>) new Converter<>(parse);
  }

  private static String queryParamName(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (a instanceof QueryParam q) {
        return q.value();
      }
    }
    return null;
  }

  static String text(String name, String value) {
    if (value.indexOf('\0') >= 0) {
      throw refused(name, name + " must not contain NUL (\\u0000)");
    }
    return value;
  }

  static <N> N integer(String name, String value, Function<String, N> parse) {
    try {
      return parse.apply(value);
    } catch (NumberFormatException e) {
      throw refused(name, name + " must be a whole number");
    }
  }

  static Boolean bool(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw refused(name, name + " must be true or false");
    };
  }

  /** Passed through as is by the parameter handler; {@link ProblemMappers} unwraps the cause. */
  private static WebApplicationException refused(String name, String detail) {
    return new WebApplicationException(ApiException.badRequest(name, detail), 400);
  }

  private record Converter<T>(Function<String, T> parse) implements ParamConverter<T> {
    @Override
    public T fromString(String value) {
      return value == null ? null : parse.apply(value);
    }

    @Override
    public String toString(T value) {
      return String.valueOf(value);
    }
  }
}
