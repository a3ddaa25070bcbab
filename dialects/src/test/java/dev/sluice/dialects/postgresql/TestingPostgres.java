package dev.sluice.dialects.postgresql;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1 (port chosen free, UTC), also when the build
 * runs as root, as it does in containers and CI.
 */
public final class TestingPostgres {
  // initdb and pg_ctl refuse to run as root; postgres itself inherits pg_ctl's user.
  private static final Set<String> ROOT_REFUSING = Set.of("bin/initdb", "bin/pg_ctl");

  /**
   * Replaces a root-refusing binary: as root, hands the data directory to nobody and runs the real
   * binary (kept beside it as NAME.real) as nobody; otherwise runs it as it is.
   */
  private static final String WRAPPER =
      """
      #!/bin/sh
      real="$0.real"
      if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
      previous=
      for argument in "$@"; do
        if [ "$previous" = "-D" ]; then chown -R nobody:nogroup "$argument"; fi
        previous=$argument
      done
      exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$real" "$@"
      """;

  private TestingPostgres() {}

  public static EmbeddedPostgres start() throws IOException {
    return builder().start();
  }

  /**
   * A server on {@code port} whose data stays in {@code dataDirectory} after it is closed, so that
   * a second call with the same arguments restarts the same database (tests of a warehouse that
   * goes away and comes back). Every directory above it must be readable by everyone when the
   * build runs as root, since the server then runs as nobody.
   */
  public static EmbeddedPostgres startKeepingData(java.nio.file.Path dataDirectory, int port) throws IOException {
    return builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  /** A server with extra settings of postgresql.conf, such as {@code log_statement}. */
  public static EmbeddedPostgres start(java.util.Map<String, String> serverConfig) throws IOException {
    EmbeddedPostgres.Builder builder = builder();
    serverConfig.forEach(builder::setServerConfig);
    return builder.start();
  }

  private static EmbeddedPostgres.Builder builder() {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("timezone", "UTC")
            // lower() follows the database's LC_CTYPE: under C it lowers ASCII letters only.
            .setLocaleConfig("locale", "C.UTF-8");
    if ("root".equals(System.getProperty("user.name"))) {
      builder.setPgBinaryResolver(UNPRIVILEGED);
    }
    return builder;
  }

  // One instance: zonky caches extracted binaries per resolver (and per archive digest on disk).
  private static final PgBinaryResolver UNPRIVILEGED = TestingPostgres::unprivilegedBinaries;

  /** The bundled binaries archive with initdb and pg_ctl wrapped so that they drop root. */
  private static InputStream unprivilegedBinaries(String system, String architecture)
      throws IOException {
    ByteArrayOutputStream repacked = new ByteArrayOutputStream();
    try (InputStream bundled =
            DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
        TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(bundled));
        TarArchiveOutputStream out =
            new TarArchiveOutputStream(new XZOutputStream(repacked, new LZMA2Options(0)))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry entry;
      while ((entry = in.getNextTarEntry()) != null) {
        boolean wrapped = entry.isFile() && ROOT_REFUSING.contains(entry.getName());
        if (wrapped) {
          entry.setName(entry.getName() + ".real");
        }
        out.putArchiveEntry(entry);
        if (entry.isFile()) {
          in.transferTo(out);
        }
        out.closeArchiveEntry();
        if (wrapped) {
          String name = entry.getName().substring(0, entry.getName().length() - ".real".length());
          byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry wrapper = new TarArchiveEntry(name);
          wrapper.setSize(script.length);
          wrapper.setMode(0755);
          wrapper.setModTime(entry.getModTime());
          out.putArchiveEntry(wrapper);
          out.write(script);
          out.closeArchiveEntry();
        }
      }
    }
    return new ByteArrayInputStream(repacked.toByteArray());
  }
}
