package dev.genpipe.api.status;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobPlanned;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.event.SectionCompleted;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.job.Section;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerStatus;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.SequencedEvent;
import dev.genpipe.common.view.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This API instance's job state: every job's {@link Timeline} (a small view and its history), folded from
 * {@code genpipe.jobs} and {@code genpipe.jobs.bulk} (a job's request, i.e. its {@code queued} event, seq 1) and {@code genpipe.job-events} (the
 * rest, in partition order), plus the daily Gemini tokens of each client and the workers' latest heartbeats. Every
 * API instance folds the same records in the same per-partition order, so all of them hold the same state, and a
 * restarted one rebuilds it by reading the topics again ({@link JobStateReader}).
 *
 * <p>A presentation's sections publish their events under the presentation's key (one partition for the family), so
 * the fan-in is part of the fold: when a section ends, its presentation takes a {@code section} event at once, and
 * ends with its last one; a cancelled presentation cancels its unfinished sections. No record is written for either.
 *
 * <p>Replays are ignored: the fold remembers the next offset of every partition, and a record below it (a fetch
 * repeated after a reconnect) changes nothing. Finished jobs are forgotten {@code resultTtl} after they ended
 * (in the order they ended, so no sweep reads every job), and the oldest finished ones earlier when more than
 * {@code maxJobs} are kept. One writer thread (the reader); {@link #accepted} may also be called by request threads.
 */
final class JobFold {

    private static final Logger log = LoggerFactory.getLogger(JobFold.class);
    private static final JsonSerde<JobRequested> REQUESTS = JsonSerde.of(JobRequested.class);
    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
    private static final JsonSerde<WorkerStatus> STATUSES = JsonSerde.of(WorkerStatus.class);

    private record Finished(long at, JobId jobId) {
    }

    /** A client's job in its list: newest first, then by id. */
    record Listed(long createdAt, JobId jobId) implements Comparable<Listed> {
        @Override
        public int compareTo(Listed other) {
            int byTime = Long.compare(other.createdAt, createdAt);
            return byTime != 0 ? byTime : jobId.toString().compareTo(other.jobId.toString());
        }
    }

    private final Duration resultTtl;
    private final int maxJobs;
    private final JobUpdates updates;
    private final Map<JobId, Timeline> jobs = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> usage = new ConcurrentHashMap<>();
    private final Map<String, WorkerStatus> workers = new ConcurrentHashMap<>();
    private final Map<String, java.util.NavigableSet<Listed>> byClient = new ConcurrentHashMap<>();
    private final Map<String, Long> nextOffsets = new ConcurrentHashMap<>();
    private final AtomicLong evicted = new AtomicLong();

    JobFold(Duration resultTtl, int maxJobs, JobUpdates updates) {
        this.resultTtl = resultTtl;
        this.maxJobs = maxJobs;
        this.updates = updates;
    }

    /**
     * Folds one record of {@code topic}. @return false when it was skipped: a replay (offset below the partition's
     * next one), a tombstone, or unreadable (logged; the workers dead-letter poison requests)
     */
    boolean accept(String topic, int partition, long offset, byte[] value) {
        String position = topic + "-" + partition;
        Long next = nextOffsets.get(position);
        if (next != null && offset < next) {
            return false;
        }
        try {
            if (value == null) {
                return false;
            }
            switch (topic) {
                case Topics.JOBS, Topics.JOBS_BULK -> request(REQUESTS.deserialize(topic, value));
                case Topics.JOB_EVENTS -> event(EVENTS.deserialize(topic, value));
                case Topics.WORKER_STATUS -> worker(STATUSES.deserialize(topic, value));
                default -> {
                    return false;
                }
            }
            return true;
        } catch (SerializationException e) {
            log.warn("skipped an unreadable record at {} offset {}: {}", position, offset, e.getMessage());
            return false;
        } finally {
            // only now: a reader waiting for folded() must see the record's effect on the views
            nextOffsets.put(position, offset + 1);
        }
    }

    /** A job Kafka has just acknowledged on this instance: visible here at once (read-your-writes). */
    void accepted(JobRequested request) {
        request(request);
    }

    private void request(JobRequested request) {
        // a repeat (a section that its presentation's plan queued already, an idempotent resubmit) is refused
        if (apply(timeline(request.jobId(), request.requestedAt()), JobQueued.of(request)) && !request.partOfPresentation()
                && request.clientId() != null) {
            byClient.computeIfAbsent(request.clientId(), c -> new java.util.concurrent.ConcurrentSkipListSet<>())
                    .add(new Listed(request.requestedAt().toEpochMilli(), request.jobId()));
        }
    }

    private void event(JobEvent event) {
        if (event instanceof JobQueued queued && queued.request() != null) {
            request(queued.request()); // written by older versions beside the request
            return;
        }
        if (event instanceof SectionCompleted) {
            return; // older versions wrote the fan-in back to the topic; the fold does it now
        }
        if (event instanceof JobWebhook report) {
            Timeline timeline = jobs.get(report.jobId()); // noted on the view only: no history, no SSE frame
            if (timeline != null && !timeline.note(report)) {
                log.debug("job {}: ignored a stale webhook report", report.jobId());
            }
            return;
        }
        Timeline timeline = timeline(event.jobId(), event.at());
        if (!apply(timeline, event)) {
            return;
        }
        JobView after = timeline.view();
        if (event instanceof JobPlanned planned && after.request() != null) {
            queueSections(after, planned);
        }
        if (event instanceof JobCancelled cancelled && after.plan() != null) {
            for (JobId section : after.plan().sectionJobs()) {
                Timeline child = jobs.get(section);
                if (child != null) { // the guard refuses it for a section that ended already
                    apply(child, new JobCancelled(section, cancelled.at(), cancelled.reason()));
                }
            }
        }
    }

    /** The presentation's sections are queued the moment it is planned: seq 1 of each is its request. */
    private void queueSections(JobView presentation, JobPlanned planned) {
        JobRequested parent = presentation.request();
        if (!(parent.input() instanceof PresentationInput input)) {
            return;
        }
        for (int i = 0; i < planned.sections().size() && i < planned.subtopics().size(); i++) {
            JobRequested section = JobRequested.child(parent, i,
                    new ExplanationInput(input.topic(), planned.subtopics().get(i), input.level()), planned.at());
            if (section.jobId().equals(planned.sections().get(i))) {
                apply(timeline(section.jobId(), planned.at()), JobQueued.of(section));
            }
        }
    }

    private void ended(JobView job) {
        finished.add(new Finished(job.finishedAt().toEpochMilli(), job.jobId()));
        if (job.status() == JobStatus.SUCCEEDED && !job.cached() && job.usage() != null && job.request() != null
                && job.request().clientId() != null && job.request().type() != JobType.PRESENTATION) {
            usage.computeIfAbsent(usageKey(job.request().clientId(), LocalDate.ofInstant(job.finishedAt(),
                    ZoneOffset.UTC)), key -> new AtomicLong()).addAndGet(job.usage().totalTokens());
        }
        if (job.isSection()) {
            Timeline presentation = jobs.get(job.request().parentId());
            if (presentation != null) {
                apply(presentation, SectionCompleted.of(presentation.view().jobId(), job.finishedAt(),
                        sectionOf(job), job.cached() ? null : job.usage()));
            }
        }
    }

    /** Folds {@code event} into {@code timeline}, tells the listeners, and settles a job that ended by it. */
    private boolean apply(Timeline timeline, JobEvent event) {
        boolean wasTerminal = timeline.view().status().isTerminal();
        List<SequencedEvent> added = timeline.apply(event);
        if (added.isEmpty()) {
            log.debug("job {}: ignored {} ({})", event.jobId(), event.getClass().getSimpleName(),
                    timeline.view().status());
            return false;
        }
        updates.publish(timeline);
        if (!wasTerminal && timeline.view().status().isTerminal()) {
            ended(timeline.view());
        }
        return true;
    }

    private Timeline timeline(JobId jobId, Instant at) {
        return jobs.computeIfAbsent(jobId, id -> Timeline.unknown(id, at));
    }

    private void worker(WorkerStatus next) {
        if (next.workerId() == null || next.at() == null || next.heartbeat() == null) {
            return; // cannot tell whether the worker is alive: not a usable heartbeat
        }
        workers.merge(next.workerId(), next, (current, latest) -> latest.at().isBefore(current.at()) ? current : latest);
    }

    /**
     * Forgets the jobs that ended {@code resultTtl} before {@code now}, and the oldest finished ones beyond
     * {@code maxJobs}. @return how many were forgotten
     */
    int expire(Instant now) {
        long cutoff = now.toEpochMilli() - resultTtl.toMillis();
        int forgotten = 0;
        for (Finished head = finished.peek(); head != null; head = finished.peek()) {
            if (head.at() >= cutoff && jobs.size() <= maxJobs) {
                break;
            }
            finished.poll();
            if (head.at() >= cutoff) {
                evicted.incrementAndGet();
            }
            Timeline gone = jobs.remove(head.jobId());
            if (gone != null) {
                forgotten++;
                JobRequested request = gone.view().request();
                if (request != null && request.clientId() != null) {
                    java.util.NavigableSet<Listed> listed = byClient.get(request.clientId());
                    if (listed != null) {
                        listed.remove(new Listed(request.requestedAt().toEpochMilli(), request.jobId()));
                    }
                }
            }
        }
        if (forgotten > 0) {
            log.debug("forgot {} finished jobs", forgotten);
        }
        return forgotten;
    }

    Timeline timeline(JobId jobId) {
        return jobs.get(jobId);
    }

    /** Whether the record at {@code offset} of {@code topic}'s {@code partition} has been folded (any thread). */
    boolean folded(String topic, int partition, long offset) {
        Long next = nextOffsets.get(topic + "-" + partition);
        return next != null && next > offset;
    }

    /** The client's jobs (not a presentation's sections), newest first, after {@code after} (null: from the newest). */
    java.util.Iterator<Listed> jobsOf(String clientId, Listed after) {
        java.util.NavigableSet<Listed> listed = byClient.get(clientId);
        if (listed == null) {
            return java.util.Collections.emptyIterator();
        }
        return (after == null ? listed : listed.tailSet(after, false)).iterator();
    }

    int size() {
        return jobs.size();
    }

    /** Finished jobs forgotten before their TTL because more than {@code maxJobs} were kept. */
    long evicted() {
        return evicted.get();
    }

    long tokens(String clientId, LocalDate day) {
        AtomicLong used = usage.get(usageKey(clientId, day));
        return used == null ? 0 : used.get();
    }

    Collection<WorkerStatus> workers() {
        return List.copyOf(workers.values());
    }

    private static String usageKey(String clientId, LocalDate day) {
        return clientId + "|" + day;
    }

    static Section sectionOf(JobView child) {
        JobRequested request = child.request();
        String subtopic = request.input() instanceof ExplanationInput e ? e.subtopic() : null;
        String markdown = child.result() instanceof JobResult.Explanation e ? e.markdown() : null;
        String error = child.status() == JobStatus.SUCCEEDED ? null
                : (child.errorCode() == null ? "" : child.errorCode() + ": ") + child.error();
        return new Section(request.section() == null ? 0 : request.section(), subtopic, child.jobId(),
                child.status(), markdown, error);
    }
}
