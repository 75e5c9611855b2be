package dev.genpipe.worker.pool;

import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerCommand;
import dev.genpipe.worker.breaker.GeminiBreakers;
import dev.genpipe.worker.cache.ResultCache;
import dev.genpipe.worker.processing.TopicFollower;
import dev.genpipe.worker.processing.WorkerSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Carries out the API's {@link WorkerCommand}s. Every worker follows the (single-partition) command topic from its
 * end, without a consumer group, so each command reaches every worker that is alive.
 */
@Component
class WorkerCommandListener extends TopicFollower {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommandListener.class);
    private static final JsonSerde<WorkerCommand> COMMANDS = JsonSerde.of(WorkerCommand.class);

    private final GeminiBreakers breakers;
    private final ResultCache cache;

    WorkerCommandListener(ConsumerFactory<String, byte[]> consumers, GeminiBreakers breakers, ResultCache cache,
                          WorkerSettings worker) {
        super(consumers, Topics.WORKER_COMMANDS, false, "commands-" + worker.id());
        this.breakers = breakers;
        this.cache = cache;
    }

    @Override
    protected void handle(ConsumerRecord<String, byte[]> record) {
        WorkerCommand command;
        try {
            command = COMMANDS.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("ignoring unreadable worker command at offset {}: {}", record.offset(), e.getMessage());
            return;
        }
        log.warn("worker command {} ({})", command.kind(), command.commandId());
        switch (command.kind()) {
            case RESET_CIRCUIT_BREAKER -> breakers.reset(); // every model's
            case CLEAR_CACHE -> cache.clear();
        }
    }
}
