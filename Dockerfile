# Multi-stage build: Maven builds the shaded jar, a slim JRE runs it as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY policies/pom.xml policies/
COPY dialects/pom.xml dialects/
COPY gateway/pom.xml gateway/
COPY bench/pom.xml bench/
RUN mvn -B -q -DskipTests dependency:go-offline || true
COPY policies policies
COPY dialects dialects
COPY gateway gateway
COPY bench bench
RUN mvn -B -q -DskipTests package -pl gateway -am

FROM eclipse-temurin:17-jre
RUN groupadd --system sluice && useradd --system --gid sluice --home-dir /var/lib/sluice sluice \
    && mkdir -p /etc/sluice /var/lib/sluice && chown sluice:sluice /var/lib/sluice
COPY --from=build /src/gateway/target/sluice.jar /opt/sluice/sluice.jar
USER sluice
WORKDIR /var/lib/sluice
# 8765: HTTP listener (Avatica JDBC; later Arrow over HTTP and /metrics). 32010: Arrow Flight SQL.
EXPOSE 8765 32010
# Mount your configuration at /etc/sluice/sluice.yaml (listeners must bind 0.0.0.0 in a container).
# Without a configuration the embedded demo is generated under /var/lib/sluice.
VOLUME ["/var/lib/sluice"]
ENTRYPOINT ["java", "-jar", "/opt/sluice/sluice.jar"]
CMD ["serve", "--config", "/etc/sluice/sluice.yaml"]
