package com.quanyi.node.console;

import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.RiskRules;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.node.testkit.TopupFixture;
import com.quanyi.node.testkit.TopupFixture.Market;
import com.quanyi.node.supplier.sim.SimulatedBehavior;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, no
 * browser downloaded) against a real node: sign in, see orders placed through the partner API on
 * the dashboard and in the order search, approve an order risk control held, and see that an
 * auditor is shown no decision (and the API refuses one). Screenshots go to
 * {@code target/console/}; the ones in {@code docs/console/} were copied from there.
 */
class ConsoleIT {

  private static final Path SHOTS = Path.of("target", "console");
  private static final Path DOWNLOADS = SHOTS.resolve("downloads");
  private static Node node;
  private static WebDriver browser;

  @RegisterExtension
  final TopupFixture topups = new TopupFixture(() -> new HttpTestClient(node.httpPort()));

  @BeforeAll
  static void start() throws IOException {
    // Suppliers asked and given up on quickly: a top-up no supplier decides reaches the review queue in seconds.
    node = TestNodes.startReady(Map.of("quanyi.suppliers.query-every", "200ms", "quanyi.suppliers.resolve-within", "4s",
        "quanyi.suppliers.recheck-after", "2s"));
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("console.chromium", "/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,1000", "--lang=en");
    Files.createDirectories(DOWNLOADS);
    options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toAbsolutePath().toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver")).toFile())
        .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anOperatorSeesOrdersLiveFindsOneAndApprovesAHeldOrderWhileAnAuditorMayNot() throws Exception {
    HttpTestClient admin = new HttpTestClient(node.httpPort());
    // Priced high: the dashboard charts today's ten best sellers, and other tests sell today too.
    Channel shop = channel(admin, 100_000_000);
    String sku = stockedSku(admin, shop, 100, 1_000_000);
    Channel held = channel(admin, 1_000_000);
    String heldSku = stockedSku(admin, held, 5, 100);
    RiskRules.replace(admin, RiskRules.rule("hold", held.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW", "MANUAL_CHECK"));
    RiskRules.inForceEverywhere(admin);
    String auditorToken = admin.post("/admin/v1/tokens", TestNodes.ADMIN_TOKEN,
        "{\"name\": \"audit-" + System.nanoTime() + "\", \"role\": \"AUDITOR\"}").json().path("token").asText();
    try {
      open("/console");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
      // The console re-renders what it refreshes: an element read just as it was replaced is read again.
      wait.ignoring(StaleElementReferenceException.class);
      wait.until(d -> !text("who").isEmpty() || d.findElement(By.id("signin-form")).isDisplayed());
      if (!text("who").isEmpty()) {
        browser.findElement(By.id("signout")).click();
      }
      english(wait);

      signIn(wait, "not-a-token");
      wait.until(ExpectedConditions.textToBe(By.id("signin-error"), "That token is not valid"));
      shot("signin");

      signIn(wait, TestNodes.ADMIN_TOKEN);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("card-ordersPerSecond")));
      assertTrue(browser.findElement(By.id("who")).getText().contains("admin"), "the role is shown");

      IntStream.range(0, 20).parallel().forEach(i ->
          assertEquals(201, signed(node, shop, "POST", "/api/v1/orders", order("C-" + i, sku)).status()));
      assertEquals("REVIEW", signed(node, held, "POST", "/api/v1/orders", order("H-1", heldSku)).body()
          .path("status").asText());

      // Live: the delivered rate appears within a few 2 s polls; the sales card once projected.
      wait.withTimeout(Duration.ofSeconds(30)).until(d -> legend("card-ordersPerSecond").contains("delivered"));
      wait.withTimeout(Duration.ofSeconds(30)).until(d -> text("card-todayBySku").contains(sku.substring(0, 21))
          && text("card-todayBySku").contains("200,000.00"));
      // Other tests may have left orders waiting: the count shown is the queue's, ours among them.
      int waiting = admin.get("/admin/v1/reviews", TestNodes.ADMIN_TOKEN).json().path("orders").size();
      assertTrue(waiting >= 1);
      wait.until(d -> text("review-count").equals(String.valueOf(waiting)));
      assertTrue(!browser.findElements(By.cssSelector("#card-todayBySku svg rect")).isEmpty(), "charts, not tables");
      wait.until(d -> text("card-alerts").contains("No alert in force") || !d.findElements(By.id("alert-rows")).isEmpty());
      shot("dashboard");

      browser.findElement(By.cssSelector("a[href='#/orders']")).click();
      type("q-channel", shop.id());
      type("q-number", "C-7");
      browser.findElement(By.cssSelector("#search-number button")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("order-codes")));
      assertTrue(text("order-detail").contains("DELIVERED"));
      String code = browser.findElement(By.cssSelector("#order-codes li")).getText();
      assertTrue(code.startsWith("****") && code.length() == 8, "masked: " + code);
      type("q-number", "NEVER");
      browser.findElement(By.cssSelector("#search-number button")).click();
      wait.until(ExpectedConditions.textToBe(By.id("q-number-error"), "Not found"));
      shot("orders");

      browser.findElement(By.cssSelector("a[href='#/reviews']")).click();
      String heldOrder = held.id() + "~H-1";
      WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("tr[data-order='" + heldOrder + "']")));
      shot("reviews");
      wait.until(d -> !row.findElements(By.cssSelector("button.approve")).isEmpty());
      row.findElement(By.cssSelector("button.approve")).click();
      browser.findElement(By.id("confirm-ok")).click();
      wait.until(d -> d.findElement(By.cssSelector("tr[data-order='" + heldOrder + "'] .badge")).getText()
          .equals("DELIVERED"));

      browser.findElement(By.id("signout")).click();
      signIn(wait, auditorToken);
      wait.until(d -> text("who").contains("auditor"));
      signed(node, held, "POST", "/api/v1/orders", order("H-2", heldSku));
      browser.findElement(By.cssSelector("a[href='#/reviews']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-order='" + held.id() + "~H-2']")));
      assertTrue(browser.findElements(By.cssSelector("button.approve")).isEmpty(), "an auditor is offered no decision");
      assertEquals(403, admin.send("POST", "/admin/v1/orders/" + held.id() + "~H-2/approve", auditorToken,
          "application/json", new byte[0]).status(), "and the API refuses one anyway");

      browser.findElement(By.cssSelector("#shell .lang-toggle")).click();
      wait.until(d -> d.findElement(By.cssSelector("a[href='#/reviews']")).getText().equals("审核队列"));
      browser.findElement(By.cssSelector("a[href='#/dashboard']")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("card-ordersPerSecond")));
      wait.until(d -> !d.findElements(By.cssSelector("#card-ordersPerSecond svg path")).isEmpty()
          || !d.findElements(By.cssSelector("#card-ordersPerSecond .legend")).isEmpty());
      shot("dashboard-zh");
    } finally {
      RiskRules.clear(admin);
    }
  }

  @Test
  void anOperatorRegistersASkuImportsCodesWithProgressOpensAChannelAndHitsARuleVersionConflict() throws Exception {
    HttpTestClient admin = new HttpTestClient(node.httpPort());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    // The console re-renders what it refreshes: an element read just as it was replaced is read again.
    wait.ignoring(StaleElementReferenceException.class);
    signedInAsAdmin(wait);
    browser.findElement(By.cssSelector("a[href='#/catalog']")).click();

    type("sku-skuId", "not an id!");
    type("sku-name", "Broken");
    type("sku-faceValue", "1000");
    type("sku-listPrice", "900");
    browser.findElement(By.cssSelector("#new-sku button[type=submit]")).click();
    wait.until(d -> text("sku-skuId-error").contains("skuId"));

    String sku = "console-" + System.nanoTime();
    type("sku-skuId", sku);
    browser.findElement(By.cssSelector("#new-sku button[type=submit]")).click();
    wait.until(d -> text("new-sku-result").contains(sku));
    assertEquals("", text("sku-skuId-error"), "the field's error is gone once it is right");

    Path csv = Files.createTempFile("codes", ".csv");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      lines.append("CONSOLE-").append(sku).append('-').append(i).append('\n');
    }
    lines.append("CODE-WITH-BAD-DATE,not-a-date\n").append(",\n");
    Files.writeString(csv, lines);
    type("import-skuId", sku);
    type("import-supplierId", "console-supplier");
    type("import-unitCost", "80");
    browser.findElement(By.id("import-file")).sendKeys(csv.toAbsolutePath().toString());
    browser.findElement(By.cssSelector("#import button[type=submit]")).click();
    wait.until(d -> text("import-summary").contains("Accepted: 5000"));
    assertEquals("100", browser.findElement(By.id("import-progress")).getAttribute("value"));
    assertTrue(text("import-summary").contains("Invalid lines: 2"), text("import-summary"));
    assertTrue(text("import-invalid").contains("expiresAt is not an ISO-8601 date"), text("import-invalid"));
    assertTrue(text("import-invalid").contains("empty code"), text("import-invalid"));
    shot("catalog");
    assertEquals(5_000, admin.get("/admin/v1/skus/" + sku, TestNodes.ADMIN_TOKEN).json().path("stock")
        .path("available").asLong(), "the codes are stock");

    // A benefit bundle of two of those codes: a malformed parts line is refused in the page.
    String bundle = "bundle-" + System.nanoTime();
    type("sku-skuId", bundle);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("sku-kind"))).selectByValue("BUNDLE");
    type("sku-parts", sku + ",two");
    browser.findElement(By.cssSelector("#new-sku button[type=submit]")).click();
    wait.until(d -> text("sku-parts-error").contains("Line 1 of the parts should read"));
    type("sku-parts", sku + ",2,REFUND_HALF");
    browser.findElement(By.cssSelector("#new-sku button[type=submit]")).click();
    wait.until(d -> text("sku-parts-error").contains("REFUND_PART or REFUND_BUNDLE"));
    type("sku-parts", sku + ",2");
    browser.findElement(By.cssSelector("#new-sku button[type=submit]")).click();
    wait.until(d -> text("new-sku-result").contains(bundle));
    JsonNode pack = admin.get("/admin/v1/skus/" + bundle, TestNodes.ADMIN_TOKEN).json();
    assertEquals("BUNDLE", pack.path("kind").asText());
    assertEquals(sku, pack.path("parts").get(0).path("skuId").asText());
    assertEquals(2_500, pack.path("stock").path("available").asLong(), "two codes a bundle");
    // The list is the inventory projection's: asked again until the bundle is in it.
    wait.until(d -> {
      boolean shown = browser.findElements(By.cssSelector("tr[data-sku='" + bundle + "'] .bundle-stock")).stream()
          .anyMatch(cell -> cell.getText().startsWith("2500 bundles from the parts: " + sku + " × 2"));
      if (!shown) {
        browser.findElement(By.id("sku-list-refresh")).click();
      }
      return shown;
    });

    type("edit-skuId", sku);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("edit-status"))).selectByValue("UNLISTED");
    type("edit-maxPerBuyer", "2");
    browser.findElement(By.cssSelector("#edit-sku button[type=submit]")).click();
    wait.until(d -> text("edit-sku-status").contains("UNLISTED"));
    JsonNode edited = admin.get("/admin/v1/skus/" + sku, TestNodes.ADMIN_TOKEN).json();
    assertEquals("UNLISTED", edited.path("status").asText());
    assertEquals(2, edited.path("maxPerBuyer").asInt());

    String batch = text("import-summary").replaceAll("^Batch ID: (\\S+) .*$", "$1");
    type("batch-skuId", sku);
    type("batch-batchId", batch);
    browser.findElement(By.cssSelector("#batch button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("batch-action"))).click();
    browser.findElement(By.id("confirm-ok")).click();
    wait.until(d -> text("batch-counts").contains("Frozen"));
    assertEquals(0, admin.get("/admin/v1/skus/" + sku, TestNodes.ADMIN_TOKEN).json().path("stock")
        .path("available").asLong(), "a frozen batch is out of stock");

    browser.findElement(By.cssSelector("a[href='#/channels']")).click();
    String channelId = "console-ch-" + System.nanoTime();
    type("channel-channelId", channelId);
    type("channel-name", "Console shop");
    browser.findElement(By.cssSelector("#new-channel button[type=submit]")).click();
    wait.until(d -> text("channel-secret").length() >= 32);
    String verifierId = "console-v-" + System.nanoTime();
    type("verifier-verifierId", verifierId);
    type("verifier-name", "Brand till");
    type("verifier-supplierIds", "brand-a, brand-b");
    browser.findElement(By.cssSelector("#new-verifier button[type=submit]")).click();
    wait.until(d -> text("verifier-secret").length() >= 32);
    wait.until(d -> text("verifier-list").contains(verifierId) && text("verifier-list").contains("brand-a, brand-b"));
    assertTrue(!text("verifier-list").contains(text("verifier-secret")), "the list never shows a secret");
    type("deposit-channelId", channelId);
    type("deposit-amount", "5000");
    type("deposit-reference", "console-1");
    browser.findElement(By.cssSelector("#deposit button[type=submit]")).click();
    wait.until(d -> text("deposit-balance").contains("50.00"));
    type("lookup-channelId", channelId);
    // The statement is a projection of the account: looked up again until it has the deposit.
    wait.until(d -> {
      if (!text("channel-statement").contains("console-1")) {
        d.findElement(By.cssSelector("#channel-lookup button[type=submit]")).click();
      }
      return text("channel-statement").contains("console-1");
    });
    shot("channels");
    assertEquals(5000, admin.get("/admin/v1/channels/" + channelId, TestNodes.ADMIN_TOKEN).json()
        .path("account").path("balance").path("amount").asLong());

    try {
      browser.findElement(By.cssSelector("a[href='#/risk']")).click();
      wait.until(d -> text("rules-version").startsWith("Rule set version"));
      String mine = "{\"rules\": [" + RiskRules.rule("mine", channelId, "BUYER", "ORDERS", "MINUTE", 5, "REJECT", "VELOCITY")
          + "]}";
      WebElement editor = browser.findElement(By.id("rules-editor"));
      editor.clear();
      editor.sendKeys(mine);
      // Someone else saves first.
      RiskRules.replace(admin, RiskRules.rule("theirs", channelId, "BUYER", "ORDERS", "DAY", 50, "REVIEW", "MANUAL_CHECK"));
      browser.findElement(By.id("rules-save")).click();
      browser.findElement(By.id("confirm-ok")).click();
      wait.until(d -> text("rules-message").contains("changed the rules meanwhile"));
      assertTrue(browser.findElement(By.id("rules-editor")).getAttribute("value").contains("\"mine\""), "not lost");
      assertTrue(text("rules-current").contains("theirs"), "the rules as they are now are shown");
      shot("risk-conflict");
      browser.findElement(By.id("rules-save")).click();
      browser.findElement(By.id("confirm-ok")).click();
      wait.until(d -> text("rules-message").startsWith("Saved"));
      assertEquals("mine", admin.get("/admin/v1/risk/rules", TestNodes.ADMIN_TOKEN).json().path("rules").get(0)
          .path("ruleId").asText());
    } finally {
      RiskRules.clear(admin);
    }
  }

  @Test
  void anOperatorFollowsTheChannelTreeAnOrdersTimelineTheListsASubjectASupplierAndTheStatements() throws Exception {
    HttpTestClient admin = new HttpTestClient(node.httpPort());
    Channel parent = channel(admin, 1_000_000);
    String childId = "child-" + System.nanoTime();
    assertEquals(201, admin.post("/admin/v1/channels", TestNodes.ADMIN_TOKEN, "{\"channelId\": \"" + childId
        + "\", \"name\": \"Sub-reseller\", \"parentChannelId\": \"" + parent.id() + "\"}").status());
    String sku = stockedSku(admin, parent, 5, 100);
    RiskRules.replace(admin, RiskRules.rule("hold", parent.id(), "BUYER", "ORDERS", "DAY", 0, "REVIEW", "MANUAL_CHECK"));
    RiskRules.inForceEverywhere(admin);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    // The console re-renders what it refreshes: an element read just as it was replaced is read again.
    wait.ignoring(StaleElementReferenceException.class);
    // A top-up its supplier takes and never reports on: it waits for an operator, settled at the end.
    Market market = topups.market(100_000, 1000);
    market.supplier(0).behave(SimulatedBehavior.healthy().withLate(1, Duration.ofHours(1)));
    assertEquals(201, signed(node, market.channel(), "POST", "/api/v1/orders",
        TopupFixture.topup("U-1", market.skuId(), "13500000001")).status());
    String undecided = market.channel().id() + "~U-1";
    try {
      assertEquals("REVIEW", signed(node, parent, "POST", "/api/v1/orders",
          RiskRules.order("T-1", sku, 1, "tl-buyer", "10.9.8.7", null)).body().path("status").asText());
      String orderId = parent.id() + "~T-1";
      assertEquals(200, admin.post("/admin/v1/orders/" + orderId + "/approve", TestNodes.ADMIN_TOKEN, "").status());
      signedInAsAdmin(wait);

      // The tree: the child under its parent, one level deeper (the accounts projection, seconds late).
      browser.findElement(By.cssSelector("a[href='#/channels']")).click();
      By child = By.cssSelector("#channel-rows tr[data-channel='" + childId + "']");
      By parentRow = By.cssSelector("#channel-rows tr[data-channel='" + parent.id() + "']");
      // Both rows: parent and child are projected by the instances of their own tags, in any order
      // (CI: the child's row was there, under no parent yet, before the parent's).
      wait.until(d -> {
        if (d.findElements(child).isEmpty() || d.findElements(parentRow).isEmpty()) {
          d.findElement(By.id("channel-tree-refresh")).click();
          return false;
        }
        return true;
      });
      assertEquals("2", browser.findElement(child).getAttribute("data-depth"));
      List<String> order = browser.findElements(By.cssSelector("#channel-rows tr[data-channel]")).stream()
          .map(r -> r.getAttribute("data-channel")).toList();
      assertEquals(order.indexOf(parent.id()) + 1, order.indexOf(childId), "the child right under its parent");
      browser.findElement(By.cssSelector("#channel-rows tr[data-channel='" + parent.id() + "'] button")).click();
      wait.until(d -> text("channel-detail").contains(parent.id()));
      shot("channel-tree");

      // The order's life: accepted and held, then approved by the admin; the risk decision beside it.
      browser.findElement(By.cssSelector("a[href='#/orders']")).click();
      type("q-channel", parent.id());
      type("q-number", "T-1");
      browser.findElement(By.cssSelector("#search-number button")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#order-timeline tr[data-kind='REVIEW_APPROVED']")).isEmpty());
      List<String> kinds = browser.findElements(By.cssSelector("#order-timeline tr")).stream()
          .map(r -> r.getAttribute("data-kind")).toList();
      assertEquals(List.of("ACCEPTED", "REVIEW_APPROVED"), kinds);
      assertTrue(text("order-timeline").contains("held by risk control"), text("order-timeline"));
      assertTrue(!browser.findElement(By.cssSelector("#order-timeline tr[data-kind='REVIEW_APPROVED'] td:nth-child(4)"))
          .getText().isEmpty(), "who approved it: " + text("order-timeline"));
      // The decision is recorded beside the order, not with it: searched again until it is there.
      wait.until(d -> {
        boolean shown = text("order-decisions").contains("REVIEW") && text("order-decisions").contains("MANUAL_CHECK");
        if (!shown) {
          d.findElement(By.cssSelector("#search-number button")).click();
        }
        return shown;
      });
      shot("order-timeline");

      // Lists: an entry added, shown, removed after confirmation; the buyer's profile and decisions.
      browser.findElement(By.cssSelector("a[href='#/risk']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("entry-value")));
      String blocked = parent.id() + "/blocked-" + System.nanoTime();
      type("entry-value", blocked);
      type("entry-reason", "chargebacks");
      browser.findElement(By.cssSelector("#list-entry button[type=submit]")).click();
      By entry = By.cssSelector("#list-entries tr[data-entry='" + blocked + "']");
      wait.until(ExpectedConditions.presenceOfElementLocated(entry));
      assertTrue(admin.get("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN).json().toString().contains(blocked));
      type("subject-subject", "buyer:" + parent.id() + "/tl-buyer");
      browser.findElement(By.cssSelector("#subject button[type=submit]")).click();
      wait.until(d -> {
        boolean shown = text("subject-result").contains(orderId);
        if (!shown) {
          d.findElement(By.cssSelector("#subject button[type=submit]")).click();
        }
        return shown;
      });
      assertEquals("Not blocked", text("subject-blocked"));
      shot("risk-lists");
      browser.findElement(By.cssSelector("#list-entries tr[data-entry='" + blocked + "'] button")).click();
      browser.findElement(By.id("confirm-ok")).click();
      wait.until(d -> d.findElements(entry).isEmpty());
      assertTrue(!admin.get("/admin/v1/risk/lists", TestNodes.ADMIN_TOKEN).json().toString().contains(blocked));

      // A supplier registered (its secret never comes back) and a top-up SKU routed to it.
      browser.findElement(By.cssSelector("a[href='#/suppliers']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("supplier-supplierId")));
      String supplier = "sup-" + System.nanoTime();
      type("supplier-supplierId", supplier);
      type("supplier-name", "Mobile agent");
      type("supplier-endpoint", "https://supplier.example/api");
      type("supplier-apiKey", "key-1");
      type("supplier-apiSecret", "supplier-secret-0123456789");
      browser.findElement(By.cssSelector("#new-supplier button[type=submit]")).click();
      wait.until(d -> text("supplier-list").contains(supplier));
      assertTrue(!browser.getPageSource().contains("supplier-secret-0123456789"), "the secret is not shown");
      String topup = "topup-" + System.nanoTime();
      assertEquals(201, admin.post("/admin/v1/skus", TestNodes.ADMIN_TOKEN, """
          {"skuId": "%s", "name": "Mobile 50", "kind": "DIRECT_TOPUP", "faceValue": {"amount": 5000, "currency": "CNY"},
           "listPrice": {"amount": 4980, "currency": "CNY"}, "riskLevel": "LOW"}""".formatted(topup)).status());
      type("route-skuId", topup);
      type("route-lines", "no-cost-here");
      browser.findElement(By.cssSelector("#route button[type=submit]")).click();
      wait.until(d -> text("route-error").contains("Line 1"));
      type("route-lines", supplier + ",CM-50,4900");
      browser.findElement(By.cssSelector("#route button[type=submit]")).click();
      browser.findElement(By.id("confirm-ok")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("route-saved")));
      JsonNode route = admin.get("/admin/v1/skus/" + topup + "/suppliers", TestNodes.ADMIN_TOKEN).json().path("route");
      assertEquals(supplier, route.get(0).path("supplierId").asText());
      assertEquals(4900, route.get(0).path("unitCost").path("amount").asLong());
      shot("suppliers");

      // Statements: the parent's commission settlement and the supplier statement (the batch bought).
      browser.findElement(By.cssSelector("a[href='#/reports']")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("settle-channelId")));
      type("settle-channelId", parent.id());
      browser.findElement(By.cssSelector("#settlement button[type=submit]")).click();
      wait.until(d -> text("settlement-totals").contains("Closing"));
      assertTrue(!browser.findElements(By.cssSelector("#settlement-rows tr")).isEmpty());
      wait.until(d -> {
        d.findElement(By.cssSelector("#supplier-statement button[type=submit]")).click();
        return text("supplier-batches").contains(sku);
      });
      shot("statements");

      // The approved order's code redeemed by a till: its trace and the redemption report show it.
      String code = signed(node, parent, "GET", "/api/v1/orders/T-1", "").body().path("codes").get(0).path("code").asText();
      HttpTestClient.Response verifier = admin.post("/admin/v1/verifiers", TestNodes.ADMIN_TOKEN,
          "{\"verifierId\": \"till-" + System.nanoTime() + "\", \"name\": \"Store till\"}");
      Channel till = new Channel(verifier.json().path("verifierId").asText(), verifier.json().path("apiKey").asText(),
          verifier.json().path("apiSecret").asText());
      Await.until("the code redeemed", Duration.ofSeconds(30), () -> signed(node, till, "POST", "/api/v1/redemptions",
          "{\"code\": \"" + code + "\", \"place\": \"Store 7\"}").status() == 200);
      browser.findElement(By.cssSelector("a[href='#/orders']")).click();
      type("trace-code", code);
      browser.findElement(By.cssSelector("#trace button[type=submit]")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trace-events tr[data-kind='REDEEMED']")));
      assertTrue(text("trace-events").contains("Store 7"), text("trace-events"));
      assertTrue(!browser.getPageSource().contains(code), "the code is not left in the page");
      browser.findElement(By.cssSelector("a[href='#/reports']")).click();
      type("redeem-skuId", sku);
      wait.until(d -> {
        d.findElement(By.cssSelector("#redemptions button[type=submit]")).click();
        return text("redemption-lines").contains("100.0 %");
      });
      shot("redemptions");

      // The catalog lists each SKU's batches with their counts; a batch picked there is looked up.
      browser.findElement(By.cssSelector("a[href='#/catalog']")).click();
      By batchLink = By.cssSelector("tr[data-sku='" + sku + "'] div.batch button");
      // The inventory report is a projection: the page is drawn again until it has the sale.
      wait.until(d -> {
        boolean shown = !d.findElements(batchLink).isEmpty() && text("sku-rows").contains("Allocated 1");
        if (!shown) {
          d.findElement(By.cssSelector("a[href='#/orders']")).click();
          d.findElement(By.cssSelector("a[href='#/catalog']")).click();
        }
        return shown;
      });
      browser.findElement(batchLink).click();
      wait.until(d -> text("batch-counts").contains("allocated 1"));

      // The undecided top-up settled from the review queue as not topped up: FAILED, the charge back.
      browser.findElement(By.cssSelector("a[href='#/reviews']")).click();
      By settle = By.cssSelector("tr[data-order='" + undecided + "'] button.settle-failed");
      wait.withTimeout(Duration.ofSeconds(40)).until(d -> {
        if (d.findElements(settle).isEmpty()) {
          d.findElement(By.cssSelector("a[href='#/reviews']")).click();
          return false;
        }
        return true;
      });
      assertTrue(browser.findElements(By.cssSelector("tr[data-order='" + undecided + "'] button.approve")).isEmpty(),
          "a top-up is settled, not approved");
      browser.findElement(settle).click();
      browser.findElement(By.id("confirm-ok")).click();
      wait.until(d -> d.findElement(By.cssSelector("tr[data-order='" + undecided + "'] .badge")).getText().equals("FAILED"));
      assertEquals(100_000, admin.get("/admin/v1/channels/" + market.channel().id(), TestNodes.ADMIN_TOKEN).json()
          .path("account").path("balance").path("amount").asLong(), "the charge refunded");
    } finally {
      RiskRules.clear(admin);
    }
  }

  /** What a finance and an operator token are offered follows their role, and the API agrees. */
  @Test
  void financeAndAnOperatorAreOfferedWhatTheirRoleMayDo() throws Exception {
    HttpTestClient admin = new HttpTestClient(node.httpPort());
    String finance = admin.post("/admin/v1/tokens", TestNodes.ADMIN_TOKEN, "{\"name\": \"fin-" + System.nanoTime()
        + "\", \"role\": \"FINANCE\"}").json().path("token").asText();
    String operator = admin.post("/admin/v1/tokens", TestNodes.ADMIN_TOKEN, "{\"name\": \"ops-" + System.nanoTime()
        + "\", \"role\": \"OPERATOR\"}").json().path("token").asText();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    signedInAsAdmin(wait);
    browser.findElement(By.id("signout")).click();

    signIn(wait, finance);
    wait.until(d -> text("who").contains("finance"));
    browser.findElement(By.cssSelector("a[href='#/reports']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sales button[type=submit]"))).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sales-rows")));
    browser.findElement(By.cssSelector("a[href='#/catalog']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-sku-not-permitted")));
    assertTrue(browser.findElements(By.id("sku-skuId")).isEmpty(), "finance registers no SKU");
    browser.findElement(By.cssSelector("a[href='#/channels']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("deposit-channelId")));
    assertTrue(browser.findElements(By.id("channel-channelId")).isEmpty(), "finance deposits, registers no channel");
    assertTrue(browser.findElements(By.id("verifier-verifierId")).isEmpty(), "nor a verifier");
    assertFalse(browser.findElements(By.id("new-verifier-not-permitted")).isEmpty());
    browser.findElement(By.cssSelector("a[href='#/tokens']")).click();
    wait.until(d -> text("token-list").contains("may not"));
    assertTrue(browser.findElements(By.id("token-name")).isEmpty());
    browser.findElement(By.id("signout")).click();

    signIn(wait, operator);
    wait.until(d -> text("who").contains("operator"));
    browser.findElement(By.cssSelector("a[href='#/reports']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sales-not-permitted")));
    assertTrue(browser.findElements(By.cssSelector("#sales button[type=submit]")).isEmpty(), "no report offered");
    assertEquals(403, admin.get("/admin/v1/reports/ledger-check", operator).status(), "and the API refuses one");
    browser.findElement(By.cssSelector("a[href='#/channels']")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("channel-channelId")));
    assertTrue(browser.findElements(By.id("deposit-channelId")).isEmpty(), "an operator registers, deposits nothing");
    browser.findElement(By.cssSelector("a[href='#/projections']")).click();
    wait.until(d -> text("projection-list").contains("may not"));
    browser.findElement(By.id("signout")).click();
  }

  private static void signedInAsAdmin(WebDriverWait wait) {
    open("/console");
    wait.until(d -> !text("who").isEmpty() || d.findElement(By.id("signin-form")).isDisplayed());
    if (!text("who").contains("admin")) {
      if (!browser.findElements(By.id("signout")).isEmpty() && browser.findElement(By.id("signout")).isDisplayed()) {
        browser.findElement(By.id("signout")).click();
      }
      english(wait);
      signIn(wait, TestNodes.ADMIN_TOKEN);
      wait.until(d -> text("who").contains("admin"));
    }
    if (!browser.findElement(By.cssSelector("a[href='#/catalog']")).getText().equals("Catalog")) {
      browser.findElement(By.cssSelector("#shell .lang-toggle")).click();
      wait.until(d -> d.findElement(By.cssSelector("a[href='#/catalog']")).getText().equals("Catalog"));
    }
  }

  @Test
  void anAdminDownloadsSalesAsCsvPausesAProjectionAndIssuesAndRevokesAToken() throws Exception {
    HttpTestClient admin = new HttpTestClient(node.httpPort());
    Channel shop = channel(admin, 1_000_000);
    String sku = stockedSku(admin, shop, 10, 100);
    assertEquals(201, signed(node, shop, "POST", "/api/v1/orders", order("R-1", sku)).status());
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    // The console re-renders what it refreshes: an element read just as it was replaced is read again.
    wait.ignoring(StaleElementReferenceException.class);
    signedInAsAdmin(wait);

    browser.findElement(By.cssSelector("a[href='#/reports']")).click();
    Files.deleteIfExists(DOWNLOADS.resolve("sales.csv"));
    wait.until(d -> {
      d.findElement(By.cssSelector("#sales button[type=submit]")).click();
      return text("sales-rows").contains(sku);
    });
    browser.findElement(By.id("sales-csv")).click();
    wait.until(d -> Files.exists(DOWNLOADS.resolve("sales.csv")));
    assertTrue(Files.readString(DOWNLOADS.resolve("sales.csv")).contains(sku), "the CSV has the sale");
    wait.until(d -> !text("ledger-state").isEmpty());
    shot("reports");

    browser.findElement(By.cssSelector("a[href='#/projections']")).click();
    By pause = By.cssSelector("tr[data-projection='sales'] button[data-action='pause']");
    wait.until(ExpectedConditions.elementToBeClickable(pause)).click();
    browser.findElement(By.id("confirm-ok")).click();
    try {
      wait.until(d -> d.findElement(By.cssSelector("tr[data-projection='sales'] .badge")).getText().equals("paused"));
      shot("projections");
    } finally {
      By resume = By.cssSelector("tr[data-projection='sales'] button[data-action='resume']");
      wait.until(ExpectedConditions.elementToBeClickable(resume)).click();
      wait.until(d -> d.findElement(By.cssSelector("tr[data-projection='sales'] .badge")).getText().equals("running"));
    }

    browser.findElement(By.cssSelector("a[href='#/tokens']")).click();
    String name = "console-" + System.nanoTime();
    type("token-name", name);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("token-role"))).selectByValue("AUDITOR");
    browser.findElement(By.cssSelector("#new-token button[type=submit]")).click();
    wait.until(d -> text("issued-token").length() >= 24);
    String token = text("issued-token");
    assertEquals(200, admin.get("/admin/v1/me", token).status(), "the token shown works");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-token='" + name + "'] button")));
    shot("tokens");
    browser.findElement(By.cssSelector("tr[data-token='" + name + "'] button")).click();
    browser.findElement(By.id("confirm-ok")).click();
    wait.until(d -> d.findElements(By.cssSelector("tr[data-token='" + name + "']")).isEmpty());
    Await.until("the revoked token refused", Duration.ofSeconds(10), () -> admin.get("/admin/v1/me", token).status() == 401);
  }

  @Test
  void theConsoleIsServedByTheNodeWithNothingFromElsewhere() {
    HttpTestClient http = new HttpTestClient(node.httpPort());
    HttpTestClient.Response page = http.get("/console", null);
    assertEquals(200, page.status());
    assertTrue(page.contentType().startsWith("text/html"), page.contentType());
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no asset from elsewhere");
    for (String asset : List.of("/console/app.js", "/console/i18n.js", "/console/charts.js", "/console/app.css")) {
      assertEquals(200, http.get(asset, null).status(), asset);
    }
    assertEquals(401, http.get("/admin/v1/me", null).status(), "who a token is needs the token");
    assertEquals(401, http.get("/admin/v1/dashboard/live", "wrong").status());
  }

  private static void open(String path) {
    browser.get("http://127.0.0.1:" + node.httpPort() + path);
  }

  private static void english(WebDriverWait wait) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-form")));
    if (!browser.findElement(By.id("signin-button")).getText().equals("Sign in")) {
      browser.findElement(By.cssSelector("#signin .lang-toggle")).click();
    }
    wait.until(ExpectedConditions.textToBe(By.id("signin-button"), "Sign in"));
  }

  private static void signIn(WebDriverWait wait, String token) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    type("token", token);
    browser.findElement(By.id("signin-button")).click();
  }

  /**
   * Types into the field once it is there: a page is drawn when the browser reports the hash change,
   * after the click on its link has returned (CI: a field looked up right after the click was not
   * there yet).
   */
  private static void type(String id, String text) {
    WebElement input = new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    input.clear();
    input.sendKeys(text);
  }

  /** The element's text, or "" while it is not there (or was just replaced by a re-render). */
  private static String text(String id) {
    try {
      List<WebElement> found = browser.findElements(By.id(id));
      return found.isEmpty() ? "" : found.get(0).getText();
    } catch (StaleElementReferenceException replaced) {
      return "";
    }
  }

  private static String legend(String cardId) {
    return browser.findElements(By.cssSelector("#" + cardId + " .legend")).stream().map(WebElement::getText)
        .findFirst().orElse("");
  }

  private static void shot(String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }
}
