package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.testing.Corpus;
import dev.sluice.gateway.testing.TestingGateway;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole public corpus as every demo user: what runs, what is refused, and that nothing leaks. */
class CorpusPerUserTest {
  private static final Pattern DENIED_FOR_ANALYST =
      Pattern.compile("\\b(email|phone|first_name|last_name)\\b");
  private static final Pattern PHONE = Pattern.compile("\\bphone\\b");
  private static Set<String> clearContacts;

  @BeforeAll
  static void collectTheClearValues() throws SQLException {
    TestingGateway.shared();
    clearContacts = new HashSet<>();
    for (List<Object> row : AdversarialPolicyTest.rowsAs("admin", "SELECT email, phone FROM cdp.customers")) {
      for (Object value : row) {
        if (value != null) {
          clearContacts.add(value.toString().trim().toLowerCase(Locale.ROOT));
        }
      }
    }
  }

  /** The corpus queries whose results have a row per customer (or name customers). */
  private static final Set<String> CUSTOMER_LEVEL = Set.of(
      "high_bread_propensity",
      "composite_paid_media",
      "frequent_bread_buyers_last_90_days",
      "rfm",
      "lapsed_high_value",
      "web_converted_never_in_store",
      "profile_lookup",
      "labelled_audiences");

  static Stream<Arguments> queries() {
    // act must declare a purpose; "act/paid_media" runs as act with that purpose.
    return Stream.of("max", "mia", "ana", "act", "act/email_marketing", "act/paid_media", "sam")
        .flatMap(user -> Corpus.load().stream().map(query -> Arguments.of(user, query)));
  }

  @ParameterizedTest(name = "{1} as {0}")
  @MethodSource("queries")
  void runsAsThePoliciesSay(String user, Corpus.Query query) throws SQLException {
    if (user.equals("act")) {
      assertThatThrownBy(() -> AdversarialPolicyTest.rowsAs(user, query.sql(), query.paramArray()))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(DemoPoliciesTest.fullMessage(e)).startsWith("42501").contains("must declare a purpose"));
      return;
    }
    boolean refused =
        user.equals("sam")
            || (user.equals("ana")
                && DENIED_FOR_ANALYST.matcher(query.sql()).find()
                && query.sql().contains("cdp.customers"))
            // E-mail marketing grants the address, never the phone number.
            || (user.equals("act/email_marketing")
                && PHONE.matcher(query.sql()).find()
                && query.sql().contains("cdp.customers"));
    if (refused) {
      assertThatThrownBy(() -> AdversarialPolicyTest.rowsAs(user, query.sql(), query.paramArray()))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(DemoPoliciesTest.fullMessage(e)).startsWith("42S02").contains("not found"));
      return;
    }
    if (user.equals("ana") && CUSTOMER_LEVEL.contains(query.name())) {
      // The analyst is aggregation-only (min_group_size 25): customer-level results are refused.
      assertThatThrownBy(() -> AdversarialPolicyTest.rowsAs(user, query.sql(), query.paramArray()))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(DemoPoliciesTest.fullMessage(e)).startsWith("42501").contains("min_group_size 25"));
      return;
    }
    List<List<Object>> rows = AdversarialPolicyTest.rowsAs(user, query.sql(), query.paramArray());
    if (user.equals("act/email_marketing")) {
      return; // e-mail marketing sees the addresses of customers who opted in, in clear, by policy
    }
    for (List<Object> row : rows) {
      for (Object value : row) {
        if (value instanceof String text) {
          // A set lookup: AssertJ's doesNotContain scans the whole collection.
          assertThat(clearContacts.contains(text.trim().toLowerCase(Locale.ROOT)))
              .as("%s as %s returned %s", query.name(), user, text)
              .isFalse();
        }
      }
    }
  }
}
