package com.quanyi.node.callback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackTargetsTest {

  private final CallbackTargets production = new CallbackTargets(false);
  private final CallbackTargets development = new CallbackTargets(true);

  @Test
  void onlyPublicHttpUrlsWithoutCredentialsAreTargets() {
    for (String good : List.of("https://shop.example.com/hooks/quanyi", "http://203.0.113.7:8080/cb",
        "https://[2001:db8::1]/cb")) {
      assertTrue(production.refusal(good).isEmpty(), good);
    }
    for (String bad : List.of("ftp://shop.example.com/x", "/relative", "https://user:pw@shop.example.com/",
        "http://localhost:9000/cb", "http://127.0.0.1/cb", "http://10.1.2.3/cb", "http://192.168.0.9/cb",
        "http://172.16.5.5/cb", "http://169.254.169.254/latest/meta-data", "http://[::1]/cb", "http://[fd00::1]/cb",
        "http://0.0.0.0/cb", "http://100.64.0.1/cb", "not a url at all", "https://x.example/" + "a".repeat(2048))) {
      assertTrue(production.refusal(bad).isPresent(), bad);
    }
  }

  @Test
  void developmentMayCallItself() {
    assertTrue(development.refusal("http://127.0.0.1:8099/cb").isEmpty());
    assertTrue(development.refusal("https://user:pw@shop.example.com/").isPresent(), "never credentials");
  }
}
