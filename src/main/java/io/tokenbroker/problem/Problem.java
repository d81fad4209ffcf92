package io.tokenbroker.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** An RFC 9457 problem document, with our stable {@code code} member and any extensions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "instance"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String instance,
    @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  @JsonAnyGetter
  public Map<String, Object> extensionMembers() {
    return extensions;
  }
}
