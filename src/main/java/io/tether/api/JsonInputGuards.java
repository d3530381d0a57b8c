package io.tether.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Refuses, while a JSON body is read, values no service or column could take: strings with NUL
 * (PostgreSQL text cannot hold it) and times outside {@link StoredTimes}. One place for every body,
 * so no endpoint can forget it; the problem names the field.
 */
@Singleton
public class JsonInputGuards implements ObjectMapperCustomizer {

  /** A value refused by a guard; its message is the rule, said after the field's name. */
  public static final class Refused extends InvalidFormatException {
    private static final long serialVersionUID = 1L;

    Refused(JsonParser p, String rule, Class<?> type) {
      super(p, rule, null, type);
    }
  }

  @Override
  public void customize(ObjectMapper mapper) {
    SimpleModule guards = new SimpleModule("tether-json-input-guards");
    guards.addDeserializer(String.class, new NulFreeString());
    guards.addDeserializer(Instant.class, new StorableInstant());
    mapper.registerModule(guards);
  }

  /** Applied last, so these deserializers replace Jackson's own (the last module wins). */
  @Override
  public int priority() {
    return MINIMUM_PRIORITY;
  }

  static final class NulFreeString extends StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;

    NulFreeString() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String value = StringDeserializer.instance.deserialize(p, ctx);
      if (value != null && value.indexOf('\0') >= 0) {
        throw new Refused(p, "must not contain NUL (\\u0000)", String.class);
      }
      return value;
    }
  }

  static final class StorableInstant extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    StorableInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      Instant value;
      try {
        value = InstantDeserializer.INSTANT.deserialize(p, ctx);
      } catch (DateTimeException e) { // a number of seconds beyond Instant's own range
        throw new Refused(p, StoredTimes.RANGE_RULE, Instant.class);
      }
      if (value != null && !StoredTimes.storable(value)) {
        throw new Refused(p, StoredTimes.RANGE_RULE, Instant.class);
      }
      return value;
    }
  }
}
