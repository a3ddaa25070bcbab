package dev.sluice.gateway.frontend.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.GatewayServer;
import dev.sluice.gateway.testing.HeadlessChromium;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit page in a real headless Chromium: sam signs in, filters by user max, sees only max's
 * queries, opens max's query on customers.email and sees its SQL, the hash mask and the pushdown
 * SQL; SQL holding markup is shown as text, never run; max is told access is denied.
 */
class AuditPageBrowserTest {
  /** A query whose text would run script if the page ever wrote data as HTML. */
  private static final String MARKUP = "SELECT 1 AS x /* <img src=x onerror=\"window.pwned=true\"> */";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static GatewayServer server;
  private HeadlessChromium browser;

  @BeforeAll
  static void start() throws Exception {
    Optional<String> unavailable = HeadlessChromium.unavailableReason();
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> "No headless Chromium: " + unavailable.orElse(""));
    server = new GatewayServer(TestingGateway.demoConfig());
    server.start();
    AuditPageApiTest.runSampleQueries(server);
    try (Connection connection = TestingGateway.connect(server, "protobuf", "max");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(MARKUP)) {
      rs.next();
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void openBrowser() throws Exception {
    browser = HeadlessChromium.start();
    browser.navigate("http://127.0.0.1:" + server.httpPort() + "/audit/");
  }

  @AfterEach
  void closeBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void anAuditorFiltersByUserAndOpensAQuery() throws Exception {
    signIn("sam");
    browser.waitFor("!document.getElementById('list-view').hidden"
        + " && document.querySelectorAll('#results-body tr').length > 0", WAIT);

    setValue("filter-user", "max");
    click("filter-apply");
    browser.waitFor(rowsScript() + ".some(r => r.sql === " + quote(AuditPageApiTest.MAX_EMAIL) + " && r.status === 'ok')"
        + " && " + rowsScript() + ".every(r => r.user === 'max')", WAIT);
    List<JsonNode> rows = new ArrayList<>();
    browser.evaluate(rowsScript()).forEach(rows::add);
    assertThat(rows).extracting(row -> row.path("user").asText()).containsOnly("max");
    assertThat(rows).extracting(row -> row.path("sql").asText())
        .contains(AuditPageApiTest.MAX_EMAIL, AuditPageApiTest.MAX_PURCHASES, AuditPageApiTest.MAX_REFUSED, MARKUP)
        .doesNotContain(AuditPageApiTest.MIA_NAMES);

    // The markup in max's SQL is text in the list, never an element.
    assertThat(browser.evaluate("window.pwned === undefined && document.querySelector('#results img') === null")
        .asBoolean()).isTrue();

    browser.evaluate("Array.from(document.querySelectorAll('#results-body tr'))"
        + ".find(r => r.cells[4].textContent === " + quote(AuditPageApiTest.MAX_EMAIL) + ")"
        + ".querySelector('button.open').click()");
    browser.waitFor("!document.getElementById('detail-view').hidden", WAIT);
    assertThat(text("detail-sql")).isEqualTo(AuditPageApiTest.MAX_EMAIL);
    assertThat(browser.evaluate("Array.from(document.querySelectorAll('#detail-masks tbody tr'))"
        + ".map(r => Array.from(r.cells).map(c => c.textContent).join('|'))").toString())
        .contains("cdp.customers|email|hash");
    assertThat(browser.evaluate("document.querySelector('#detail-pushdowns pre.pushdown').textContent").asText())
        .contains("SHA256").contains("\"households\"");
    assertThat(browser.evaluate("document.getElementById('detail-fields').textContent").asText())
        .contains("max").contains("marketer").contains("avatica");

    click("back");
    browser.waitFor("!document.getElementById('list-view').hidden", WAIT);
  }

  @Test
  void queryTextWithMarkupIsShownAsText() throws Exception {
    signIn("sam");
    browser.waitFor(rowsScript() + ".some(r => r.sql === " + quote(MARKUP) + ")", WAIT);
    browser.evaluate("Array.from(document.querySelectorAll('#results-body tr'))"
        + ".find(r => r.cells[4].textContent === " + quote(MARKUP) + ").querySelector('button.open').click()");
    browser.waitFor("!document.getElementById('detail-view').hidden", WAIT);
    assertThat(text("detail-sql")).isEqualTo(MARKUP);
    assertThat(browser.evaluate("window.pwned === undefined && document.querySelector('img') === null").asBoolean())
        .isTrue();
  }

  @Test
  void aUserWithoutTheAuditTableIsToldAccessIsDenied() throws Exception {
    signIn("max");
    browser.waitFor("document.getElementById('login-message').textContent.includes('Access denied')", WAIT);
    assertThat(browser.evaluate("document.getElementById('list-view').hidden").asBoolean()).isTrue();
    assertThat(browser.evaluate("document.querySelectorAll('#results-body tr').length").asInt()).isZero();
    assertThat(browser.evaluate("sessionStorage.getItem('sluice.audit.token')").isNull()).isTrue();
  }

  private void signIn(String user) throws Exception {
    browser.waitFor("!document.getElementById('login-view').hidden", WAIT);
    setValue("login-user", user);
    setValue("login-password", user + "-demo");
    click("login-submit");
  }

  private void setValue(String id, String value) throws Exception {
    browser.evaluate("document.getElementById(" + quote(id) + ").value = " + quote(value));
  }

  private void click(String id) throws Exception {
    browser.evaluate("document.getElementById(" + quote(id) + ").click()");
  }

  private String text(String id) throws Exception {
    return browser.evaluate("document.getElementById(" + quote(id) + ").textContent").asText();
  }

  /** The list's rows as {user, status, sql} objects. */
  private static String rowsScript() {
    return "Array.from(document.querySelectorAll('#results-body tr'))"
        + ".map(r => ({user: r.cells[1].textContent, status: r.cells[2].textContent, sql: r.cells[4].textContent}))";
  }

  private static String quote(String text) throws Exception {
    return JSON.writeValueAsString(text);
  }
}
