package dev.genpipe.api.edge;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error answers — for requests it refuses before any servlet sees them, such as an encoded slash or a NUL
 * in the path — as {@code application/problem+json} like every other error, instead of Tomcat's HTML page. Nothing
 * about the request or the server is echoed. Public: Tomcat instantiates it by name.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(Problems.of(HttpStatusCode.valueOf(status), status < 500
                        ? "the request was refused by the web server (malformed or unsafe URL or headers)"
                        : "the server failed to process the request", null)));
                writer.flush();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: nothing more to say
        }
    }
}
