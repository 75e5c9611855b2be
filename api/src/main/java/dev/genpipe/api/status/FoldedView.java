package dev.genpipe.api.status;

import dev.genpipe.common.view.JobView;

/**
 * What the fold keeps per job: the view, and the offset on {@code genpipe.job-events} of the last event folded into
 * it (a job's events all live in one partition, keyed by its id). After a crash Kafka Streams (at-least-once) hands
 * the fold events again that its restored store may already contain; the offset tells them apart, so replaying never
 * applies an event twice (no doubled text delta, no invented "worker lost" retry) and never loses an update.
 */
record FoldedView(long offset, JobView view) {
}
