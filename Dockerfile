# One image per runnable module, built from one Dockerfile:
#   docker build --build-arg MODULE=api|worker|devstack -t genpipe-<module> .
# (docker-compose.yml builds all three.) Works with BuildKit and with the legacy builder (docker-compose v1): no
# BuildKit-only syntax such as RUN --mount.
#
# Layered image: the Spring Boot executable jar is extracted with Boot's own tool
# (`java -Djarmode=tools -jar app.jar extract --layers`) into its four layers, copied least-changing first:
#   dependencies          third-party release jars (~115 MB)  change when a dependency version changes
#   spring-boot-loader    Boot's launcher classes             (none without --launcher: empty)
#   snapshot-dependencies third-party SNAPSHOT jars           (none today: empty)
#   application           the module's classes and config, plus genpipe-common (Boot puts reactor modules here)
# so a code change rebuilds and ships well under 1 MB. The app starts as a thin `app.jar` whose manifest puts `lib/` on
# the class path (no fat jar, no Boot launcher in the image): the JVM's own class loaders load every class, so the
# JVM can cache them.
#
# Warm start (api and worker; UNTESTED: no Docker where this was written, so it has never been built): the runtime
# stage runs a training run at image build time, Spring Boot's `-Dspring.context.exit=onRefresh` (start, create the
# beans, exit: no request is served and nothing is consumed), with `-XX:ArchiveClassesAtExit`, and the entry point
# starts with that dynamic CDS archive (`-XX:SharedArchiveFile`, `-Xshare:auto`: a missing or stale archive is
# ignored with a warning, never fatal). It needs no network: nothing listens on the default Kafka address during
# the build, so the Kafka admin waits for its timeout (~30 s) and the training run ends anyway (checked with the
# api and worker jars outside Docker on JDK 25, without Kafka or Redis: exit 0, archive written). The archive must
# come from the very JVM that uses it, with the same flags, hence the training in the runtime stage; JDK 21 has
# dynamic CDS only. A failed training run does not fail the build: the image then starts without an archive. On a JDK 25 base image `-XX:AOTCacheOutput=app.aot` and
# `-XX:AOTCache=app.aot` would give the fuller AOT cache (the local run and the benchmark use it on JDK 25).
#
# No HEALTHCHECK on purpose: orchestrators probe HTTP (/actuator/health/liveness and /readiness, see ops/k8s/); a
# Docker HEALTHCHECK would only duplicate that, and a JRE image has no curl to run it with.

# ---- build: the whole reactor once (no ARG before this RUN, so the three images share this cached layer) ----
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# poms first: the dependency download is cached until a pom changes
COPY pom.xml ./
COPY common/pom.xml common/
COPY devstack/pom.xml devstack/
COPY api/pom.xml api/
COPY worker/pom.xml worker/
COPY system-tests/pom.xml system-tests/
RUN mvn -B -ntp -q -pl api,worker,devstack -am -DskipTests -Dspring-boot.repackage.skip=true package \
    && rm -rf common/target devstack/target api/target worker/target
COPY . .
RUN mvn -B -ntp -pl api,worker,devstack -am -DskipTests package

# ---- layers: explode the chosen module's executable jar into Boot's layers ----
ARG MODULE=api
RUN mkdir -p /layers \
    && cp ${MODULE}/target/genpipe-${MODULE}-*-exec.jar /layers/app.jar \
    && cd /layers \
    && java -Djarmode=tools -jar app.jar extract --layers --application-filename app.jar --destination extracted \
    && rm app.jar

# ---- runtime: JRE only, non-root ----
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 genpipe && useradd --system --uid 10001 --gid genpipe --no-create-home genpipe
WORKDIR /app
COPY --from=build /layers/extracted/dependencies/ ./
COPY --from=build /layers/extracted/spring-boot-loader/ ./
COPY --from=build /layers/extracted/snapshot-dependencies/ ./
COPY --from=build /layers/extracted/application/ ./
# the training run (see the top); the devstack image is no Spring Boot app and gets no archive
ARG MODULE=api
# (GEMINI_API_KEY only for this command: the worker's Gemini client wants one to be created; nothing is called)
RUN if [ "${MODULE}" != "devstack" ]; then \
      GEMINI_API_KEY=image-build-training java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError \
        -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar app.jar > /tmp/training.log 2>&1 \
      || { tail -20 /tmp/training.log; echo "warm start: the training run failed, the image starts without an archive"; }; \
      rm -f /tmp/training.log; \
    fi
# numeric user: Kubernetes' runAsNonRoot can verify it without looking into /etc/passwd
USER 10001:10001
# api listens on 8080, worker on 8081 (health + metrics), the stand-in on what its --port says
EXPOSE 8080 8081
# exec form: java is PID 1 and gets SIGTERM directly, so Spring's graceful shutdown (and the worker's shutdown
# grace for jobs in flight) runs; JAVA_TOOL_OPTIONS adds JVM flags without rebuilding
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=app.jsa", "-Xshare:auto", "-jar", "app.jar"]
