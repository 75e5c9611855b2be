package dev.genpipe.api.pool;

import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerCommand;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Sends a {@link WorkerCommand} to every worker over {@code genpipe.worker-commands}. */
@Component
class WorkerCommands {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommands.class);

    private final KafkaTemplate<String, Object> kafka;

    WorkerCommands(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    /**
     * Writes the command and returns once Kafka acknowledged it.
     *
     * @throws CommandNotSent when Kafka did not take it
     */
    WorkerCommand send(WorkerCommand.Kind kind) {
        WorkerCommand command = WorkerCommand.of(kind);
        try {
            kafka.send(Topics.WORKER_COMMANDS, command.commandId(), command).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandNotSent(e);
        } catch (ExecutionException | RuntimeException e) {
            log.warn("worker command {} {} not sent: {}", kind, command.commandId(), e.toString());
            throw new CommandNotSent(e);
        }
        log.info("worker command {} {} sent", kind, command.commandId());
        return command;
    }
}
