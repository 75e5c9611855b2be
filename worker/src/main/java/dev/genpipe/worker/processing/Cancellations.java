package dev.genpipe.worker.processing;

import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * The jobs cancelled by their clients, as every worker knows them: {@code genpipe.job-cancellations} followed from its
 * beginning (a day of retention). A job is checked before its work starts and before each Gemini call; a
 * presentation's sections are cancelled with it.
 */
@Component
class Cancellations implements SmartLifecycle {

    private static final Duration REMEMBERED = Duration.ofDays(2);

    private final Map<String, Instant> cancelled = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    Cancellations(ConsumerFactory<String, byte[]> consumers, WorkerSettings worker) {
        this.follower = new TopicFollower(consumers, Topics.JOB_CANCELLATIONS, true, "cancellations-" + worker.id(),
                record -> {
                    if (record.key() != null) {
                        cancelled.put(record.key(), Instant.ofEpochMilli(record.timestamp()));
                        Instant horizon = Instant.now().minus(REMEMBERED);
                        cancelled.values().removeIf(at -> at.isBefore(horizon));
                    }
                });
    }

    boolean cancelled(JobRequested request) {
        return cancelled.containsKey(request.jobId().toString())
                || (request.parentId() != null && cancelled.containsKey(request.parentId().toString()));
    }

    @Override
    public void start() {
        follower.start();
    }

    @Override
    public void stop() {
        follower.stop();
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }
}
