package dev.sluice.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusTest {
  @Test
  void parsesNamesParamsAndMultiLineSql() {
    String text =
        """
        -- header comment; not a query
        -- name: one
        SELECT 1;

        -- name: two
        -- params: 4242, 'it''s, here', -7
        SELECT a
        FROM t WHERE a = ? AND b = ? AND c = ?
        ;
        """;

    List<Corpus.Query> queries = Corpus.parse(text);

    assertThat(queries)
        .containsExactly(
            new Corpus.Query("one", "SELECT 1", List.of()),
            new Corpus.Query(
                "two",
                "SELECT a\nFROM t WHERE a = ? AND b = ? AND c = ?",
                List.of(4242L, "it's, here", -7L)));
  }

  @Test
  void unterminatedQueryIsAnError() {
    assertThatThrownBy(() -> Corpus.parse("-- name: open\nSELECT 1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("open");
  }

  @Test
  void loadsThePublicCorpus() {
    List<Corpus.Query> queries = Corpus.load();

    assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
    assertThat(queries).extracting(Corpus.Query::name).doesNotHaveDuplicates();
    assertThat(queries).allSatisfy(query -> assertThat(query.sql()).doesNotEndWith(";"));
    assertThat(queries)
        .filteredOn(query -> query.name().equals("profile_lookup_param"))
        .singleElement()
        .satisfies(query -> assertThat(query.params()).containsExactly(4242L));
  }
}
