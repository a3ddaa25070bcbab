package dev.sluice.gateway.tooling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.config.ColumnConfig;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.VariableResolver;
import dev.sluice.gateway.config.VirtualTableConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Awkward physical names still give a draft the configuration loader reads back unchanged. */
class DraftSchemaYamlTest {
  @Test
  void awkwardNamesAreQuotedAndRenamed() {
    DiscoveredTable table = new DiscoveredTable(
        "s", "Order Lines", "TABLE",
        List.of(
            new DiscoveredTable.Column("ID", "INTEGER", false),
            new DiscoveredTable.Column("on", "BOOLEAN", true),
            new DiscoveredTable.Column("id", "VARCHAR", true),
            new DiscoveredTable.Column("price ${x} \"net\"", "DECIMAL(10,2)", true)),
        List.of("ID"),
        Optional.empty());
    String yaml = DraftSchemaYaml.render("w", "s", List.of(table));
    GatewayConfig config = ConfigLoader.parse(
        "warehouses:\n  w:\n    dialect: duckdb\n    duckdb: { path: /x.duckdb }\n" + yaml
            + "users:\n  a:\n    password_hash: \"$2a$10$Yxuo/Cc2IkxaFUFw5zr2Ae5k0lPmwr2Jv97TK7wMe2BaeU9/WxduC\"\n"
            + "    roles: [admin]\n",
        "draft.yaml",
        VariableResolver.none());
    VirtualTableConfig bound = config.schema().table("order_lines").orElseThrow();
    assertThat(bound.source().table()).isEqualTo("Order Lines");
    assertThat(bound.primaryKey()).containsExactly("id");
    assertThat(bound.columns()).extracting(ColumnConfig::name).containsExactly("id", "on", "id_2", "price___x___net_");
    assertThat(bound.columns()).extracting(ColumnConfig::column).containsExactly(
        Optional.of("ID"), Optional.of("on"), Optional.of("id"), Optional.of("price ${x} \"net\""));
  }
}
