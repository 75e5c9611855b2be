package dev.genpipe.devstack;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** What the {@link Infrastructure#CONTAINERS} path shares: the images (those of docker-compose.yml) and checks. */
final class Containers {

    static final DockerImageName KAFKA = DockerImageName.parse(Infrastructure.KAFKA_IMAGE);
    static final DockerImageName REDIS = DockerImageName.parse(Infrastructure.REDIS_IMAGE);

    private Containers() {
    }

    /** @throws IllegalStateException when no Docker engine is reachable: the containers path was asked for */
    static void requireDocker() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(Infrastructure.PROPERTY + "=containers, but Testcontainers found no "
                    + "Docker engine. Start one (or point DOCKER_HOST at one), or run without -Pcontainers: the "
                    + "default uses an in-process Kafka broker and the embedded redis-server");
        }
    }

    /** Publishes {@code containerPort} on a fixed host port, so a restarted container is found where it was. */
    static <C extends GenericContainer<?>> C bindHostPort(C container, int containerPort, int hostPort) {
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(containerPort))));
        return container;
    }
}
