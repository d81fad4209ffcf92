package io.tokenbroker.connection;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores the status as its wire name, so SQL, API and logs all read the same word. */
@Converter(autoApply = true)
public class ConnectionStatusConverter implements AttributeConverter<ConnectionStatus, String> {

  @Override
  public String convertToDatabaseColumn(ConnectionStatus status) {
    return status == null ? null : status.wire();
  }

  @Override
  public ConnectionStatus convertToEntityAttribute(String value) {
    return value == null ? null : ConnectionStatus.fromWire(value);
  }
}
