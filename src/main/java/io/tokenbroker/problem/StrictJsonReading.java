package io.tokenbroker.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Reads request bodies the one way a strict parser would. Jackson by default stops after the first
 * JSON value and ignores what follows ({@code {"scopes":[…]}} junk), and silently turns {@code 1.5}
 * or {@code "300"} into an integer. Both let two parsers (a gateway's and ours) disagree about the
 * same body, and the second loses data without telling the caller; both are answered as {@code
 * malformed_request} instead.
 *
 * <p>Duplicate keys are the same kind of differential ({@code {"min_ttl_seconds":60,
 * "min_ttl_seconds":61}}: a gateway may read the first, Jackson keeps the last). They are not
 * caught by any deserialization feature: {@link
 * DeserializationFeature#FAIL_ON_READING_DUP_TREE_KEY} covers JSON trees only, and binding into
 * records and beans simply lets the last value win. Only the parser sees them, so the parser's own
 * duplicate detection is turned on, for every body the broker's object mapper reads (REST bodies
 * and the development token route alike).
 */
@Singleton
class StrictJsonReading implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
  }
}
