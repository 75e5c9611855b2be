package dev.genpipe.worker.processing;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Follows one partition of a small control topic on a thread of its own, assigned rather than subscribed (no consumer
 * group joins, nothing is committed), from its beginning or from its end. Every worker sees every record. Started and
 * stopped with the application; subclasses say what a record means.
 */
public abstract class TopicFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final ConsumerFactory<String, byte[]> consumers;
    private final TopicPartition partition;
    private final boolean fromBeginning;
    private final String name;
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    protected TopicFollower(ConsumerFactory<String, byte[]> consumers, String topic, boolean fromBeginning,
                            String name) {
        this.consumers = consumers;
        this.partition = new TopicPartition(topic, 0);
        this.fromBeginning = fromBeginning;
        this.name = name;
    }

    /** Called on the follower's thread with every record, in order. */
    protected abstract void handle(ConsumerRecord<String, byte[]> record);

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    private void run() {
        Properties overrides = new Properties();
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the group id only names the consumer: it is assigned, never joins, never commits
        try (var c = consumers.createConsumer("genpipe-" + name, name, null, overrides)) {
            consumer = c;
            c.assign(List.of(partition));
            if (fromBeginning) {
                c.seekToBeginning(List.of(partition));
            } else {
                c.seekToEnd(List.of(partition));
                c.position(partition);
            }
            while (running) {
                // a record ends the poll at once; the timeout only paces an idle loop (stop() wakes it up)
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofSeconds(1))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (running) {
                log.error("{} stopped: {}", name, e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        var c = consumer;
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
