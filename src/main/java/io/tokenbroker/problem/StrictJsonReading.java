package io.tokenbroker.problem;

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
 */
@Singleton
class StrictJsonReading implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
  }
}
