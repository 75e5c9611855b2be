# One image per module: docker build --build-arg MODULE=api|worker|devstack -t genpipe-<module> .
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:21-jre
ARG MODULE=api
RUN useradd --system --uid 10001 genpipe
COPY --from=build /src/${MODULE}/target/genpipe-${MODULE}-0.1.0-SNAPSHOT-exec.jar /app/app.jar
USER genpipe
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
