package dev.genpipe.api.status;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.view.JobView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A client's own jobs, newest first, a page at a time ({@code GET /api/jobs}): optionally only one status or type;
 * the cursor is the last job of the previous page (opaque to clients). Never another client's job; a presentation's
 * sections are listed through their presentation, not on their own.
 */
@Component
public class JobList {

    public static final int MAX_LIMIT = 100;

    /** One page, and the cursor of the next one (null on the last page). */
    public record Page(List<JobView> jobs, String next) {
    }

    private final JobStateReader reader;

    JobList(JobStateReader reader) {
        this.reader = reader;
    }

    /**
     * @throws IllegalArgumentException for a malformed cursor
     * @throws JobStateLoading while the state loads
     */
    public Page of(String clientId, Optional<JobStatus> status, Optional<JobType> type, int limit, String cursor) {
        if (!reader.ready()) {
            throw new JobStateLoading();
        }
        JobFold.Listed after = cursor == null || cursor.isBlank() ? null : decode(cursor);
        List<JobView> page = new ArrayList<>(limit);
        JobFold.Listed last = null;
        Iterator<JobFold.Listed> listed = reader.fold().jobsOf(clientId, after);
        boolean more = false;
        while (listed.hasNext()) {
            JobFold.Listed next = listed.next();
            var timeline = reader.fold().timeline(next.jobId());
            if (timeline == null) {
                continue;
            }
            JobView view = timeline.view();
            if (status.isPresent() && view.status() != status.get()
                    || type.isPresent() && (view.request() == null || view.request().type() != type.get())) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(view);
            last = next;
        }
        return new Page(page, more && last != null ? encode(last) : null);
    }

    private static String encode(JobFold.Listed listed) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((listed.createdAt() + ":" + listed.jobId())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static JobFold.Listed decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return new JobFold.Listed(Long.parseLong(text.substring(0, colon)),
                    JobId.parse(text.substring(colon + 1)).orElseThrow());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not one this API gave out");
        }
    }
}
