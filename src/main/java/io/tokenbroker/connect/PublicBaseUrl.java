package io.tokenbroker.connect;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code broker.connect.public-base-url}, checked when the broker starts: a link that points
 * nowhere, or at a plain-HTTP host on the internet, must fail the start rather than the first
 * person who opens it.
 */
@Startup
@ApplicationScoped
class PublicBaseUrl {

  static final String KEY = "broker.connect.public-base-url";

  private final Optional<URI> base;

  PublicBaseUrl(ConnectConfig config) {
    this.base = config.publicBaseUrl().map(PublicBaseUrl::parse);
  }

  static URI parse(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw invalid("is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw invalid("must be an absolute URL with a host");
    }
    if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
      throw invalid("must use https (http is accepted for localhost only)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw invalid("must not carry a query, fragment or user info");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(KEY + " " + why + ".");
  }

  boolean isSet() {
    return base.isPresent();
  }

  /** The link a person opens for {@code token}. */
  String linkUrl(String token) {
    return base.orElseThrow() + "/connect/" + token;
  }

  /** {@code scheme://host[:port]}, what a browser sends as {@code Origin} from the page. */
  Optional<String> origin() {
    return base.map(
        u -> {
          int port = u.getPort();
          boolean defaultPort =
              port == -1
                  || (port == 443 && u.getScheme().equals("https"))
                  || (port == 80 && u.getScheme().equals("http"));
          return u.getScheme()
              + "://"
              + u.getHost().toLowerCase(Locale.ROOT)
              + (defaultPort ? "" : ":" + port);
        });
  }
}
