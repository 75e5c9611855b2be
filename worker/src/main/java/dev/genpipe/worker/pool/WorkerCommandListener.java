package dev.genpipe.worker.pool;

import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerCommand;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.cache.ResultCache;
import dev.genpipe.worker.processing.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Carries out the API's {@link WorkerCommand}s. Every worker reads the whole (single-partition) command topic from
 * its end, without a consumer group, so each command reaches every worker that is alive.
 */
@Component
class WorkerCommandListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommandListener.class);
    private static final JsonSerde<WorkerCommand> COMMANDS = JsonSerde.of(WorkerCommand.class);

    private final ConsumerFactory<String, byte[]> consumers;
    private final GeminiBreaker breaker;
    private final ResultCache cache;
    private final WorkerSettings worker;
    private volatile Consumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    WorkerCommandListener(ConsumerFactory<String, byte[]> consumers, GeminiBreaker breaker, ResultCache cache,
                          WorkerSettings worker) {
        this.consumers = consumers;
        this.breaker = breaker;
        this.cache = cache;
        this.worker = worker;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("worker-commands").daemon().start(this::run);
    }

    private void run() {
        TopicPartition partition = new TopicPartition(Topics.WORKER_COMMANDS, 0);
        // assigned, not subscribed: the group id only names it (nothing is committed); every worker sees every
        // command given while it runs
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (Consumer<String, byte[]> c = consumers.createConsumer("genpipe-commands-" + worker.id(),
                worker.id() + "-commands", null, overrides)) {
            consumer = c;
            c.assign(List.of(partition));
            c.seekToEnd(List.of(partition));
            c.position(partition);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                    execute(record);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (running) {
                log.error("worker command listener stopped: {}", e.toString());
            }
        }
    }

    private void execute(ConsumerRecord<String, byte[]> record) {
        WorkerCommand command;
        try {
            command = COMMANDS.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("ignoring unreadable worker command at offset {}: {}", record.offset(), e.getMessage());
            return;
        }
        log.warn("worker command {} ({})", command.kind(), command.commandId());
        switch (command.kind()) {
            case RESET_CIRCUIT_BREAKER -> breaker.reset();
            case CLEAR_CACHE -> cache.clear();
        }
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (thread != null) {
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

}
