package io.berth.cli.command;

import io.berth.cli.app.CliException;
import java.time.Duration;

/** crictl's handleDisplay: run once, or every 500 ms until interrupted (Ctrl-C ends the JVM). */
final class Watch {
    private Watch() {
    }

    static void run(boolean watch, Runnable display) {
        if (!watch) {
            display.run();
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            sleep(Duration.ofMillis(500));
            display.run();
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
