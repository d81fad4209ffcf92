package io.tokenbroker.support.upstream;

import java.util.concurrent.CountDownLatch;

/**
 * A local, standards-conformant OAuth server with a login form, for trying the broker without a
 * Pinterest account (README, "Try it"). Not part of the broker: it runs from the test classpath.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.tokenbroker.support.upstream.LocalOAuthServer</pre>
 */
public final class LocalOAuthServer {

  private LocalOAuthServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
    StandardOAuthServer server = new StandardOAuthServer().start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("Local OAuth server (mock-oauth2-server) listening:");
    System.out.println("  authorization endpoint: " + server.authorizationEndpoint());
    System.out.println("  token endpoint:         " + server.tokenEndpoint());
    System.out.println("  userinfo endpoint:      " + server.userInfoEndpoint());
    System.out.println(
        "Any client id and secret are accepted; the login form takes any user name.");
    new CountDownLatch(1).await();
  }
}
