package io.berth.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.BooleanSupplier;

/**
 * Reads a container log file in the CRI format ({@code 2016-10-06T00:17:09.669794202Z stdout F text})
 * or Docker's JSON lines, the way kubelet's (and crictl's) {@code ReadLogs} does: --tail counts lines
 * from the end, --since skips older entries, partial ("P") lines are joined, --timestamps prefixes each
 * new line with its RFC 3339 time, stdout and stderr entries go to the two streams, and --follow keeps
 * reading while the container runs, re-opening the file when the runtime rotates it.
 */
public final class CriLogReader {
    private static final DateTimeFormatter OUT_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");
    private static final int BLOCK = 1024;
    private static final long POLL_MILLIS = 100;
    private static final long FORCE_CHECK_MILLIS = 1000;

    /** A parse failure of one line. */
    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    /** One decoded log entry. */
    record Message(OffsetDateTime timestamp, String stream, byte[] log) {
    }

    private enum Format { CRI, DOCKER_JSON }

    private final LogOptions opts;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private long remaining;

    public CriLogReader(LogOptions opts, OutputStream stdout, OutputStream stderr) {
        this.opts = opts;
        this.stdout = stdout;
        this.stderr = stderr;
        this.remaining = opts.bytes() >= 0 ? opts.bytes() : Long.MAX_VALUE;
    }

    /**
     * Prints the log at {@code path}. With --follow, {@code containerRunning} is asked whenever no new
     * data arrived, and reading stops once it says false.
     */
    public void read(Path path, BooleanSupplier containerRunning) throws IOException {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("failed to try resolving symlinks in path \"" + path + "\": lstat " + path
                    + ": no such file or directory");
        }
        RandomAccessFile f = new RandomAccessFile(real.toFile(), "r");
        Lines lines = new Lines(f, tailStart(f, opts.tail()));
        try {
            boolean limited = opts.tail() >= 0 && !opts.follow();
            long limitedNum = opts.tail();
            Format format = null;
            boolean isNewLine = true;
            long lastCheck = System.currentTimeMillis();
            while (true) {
                if (limited && limitedNum == 0) {
                    return;
                }
                byte[] line = lines.next();
                if (line == null) {
                    if (!opts.follow()) {
                        line = lines.rest();
                        if (line.length == 0) {
                            return;
                        }
                        // an incomplete last line is still printed, as kubelet does
                    } else {
                        flush();
                        if (!lines.hasGrown() || System.currentTimeMillis() - lastCheck >= FORCE_CHECK_MILLIS) {
                            if (!containerRunning.getAsBoolean()) {
                                return;
                            }
                            lastCheck = System.currentTimeMillis();
                        }
                        if (Files.exists(real) && Files.size(real) < lines.consumed()) {
                            // the runtime rotated (or truncated) the log: read the new file from its start
                            lines.reopen(new RandomAccessFile(real.toFile(), "r"));
                            continue;
                        }
                        sleep();
                        continue;
                    }
                }
                if (format == null) {
                    format = detect(line);
                }
                Message msg;
                try {
                    msg = format == Format.CRI ? parseCri(line) : parseDockerJson(line);
                } catch (ParseException e) {
                    continue; // kubelet logs and skips a line it cannot parse
                }
                if (!write(msg, isNewLine)) {
                    return;
                }
                if (limited) {
                    limitedNum--;
                }
                isNewLine = msg.log().length == 0 || msg.log()[msg.log().length - 1] == '\n';
            }
        } finally {
            flush();
            lines.close();
        }
    }

    private void flush() throws IOException {
        stdout.flush();
        stderr.flush();
    }

    /** Buffered line reading over the file, tracking how far it has consumed. */
    private static final class Lines {
        private RandomAccessFile file;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;
        private long consumed;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Lines(RandomAccessFile file, long start) throws IOException {
            this.file = file;
            file.seek(start);
            this.consumed = start;
        }

        /** The next line including its '\n'; null when no complete line is available yet. */
        byte[] next() throws IOException {
            while (true) {
                for (int i = pos; i < limit; i++) {
                    if (buf[i] == '\n') {
                        pending.write(buf, pos, i + 1 - pos);
                        consumed += i + 1 - pos;
                        pos = i + 1;
                        byte[] line = pending.toByteArray();
                        pending.reset();
                        return line;
                    }
                }
                pending.write(buf, pos, limit - pos);
                consumed += limit - pos;
                pos = 0;
                limit = 0;
                int n = file.read(buf);
                if (n <= 0) {
                    return null;
                }
                limit = n;
            }
        }

        /** The incomplete last line, if any. */
        byte[] rest() {
            byte[] r = pending.toByteArray();
            pending.reset();
            return r;
        }

        boolean hasGrown() throws IOException {
            return file.length() > consumed;
        }

        long consumed() {
            return consumed;
        }

        void reopen(RandomAccessFile f) throws IOException {
            file.close();
            file = f;
            pos = 0;
            limit = 0;
            consumed = 0;
            pending.reset();
        }

        void close() throws IOException {
            file.close();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** kubelet's findTailLineStartIndex: the offset of the n-th line from the end. */
    static long tailStart(RandomAccessFile f, long n) throws IOException {
        if (n < 0) {
            return 0;
        }
        long size = f.length();
        long left = 0;
        long count = 0;
        byte[] buf = new byte[BLOCK];
        for (long right = size; right > 0 && count <= n; right -= BLOCK) {
            left = right - BLOCK;
            if (left < 0) {
                left = 0;
                buf = new byte[(int) right];
            }
            f.seek(left);
            f.readFully(buf);
            for (byte b : buf) {
                if (b == '\n') {
                    count++;
                }
            }
        }
        int offset = 0;
        for (; count > n; count--) {
            int idx = indexOf(buf, (byte) '\n', offset) + 1;
            left += idx - offset;
            offset = idx;
        }
        return left;
    }

    private static int indexOf(byte[] buf, byte b, int from) {
        for (int i = from; i < buf.length; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static Format detect(byte[] line) throws IOException {
        try {
            parseCri(line);
            return Format.CRI;
        } catch (ParseException notCri) {
            try {
                parseDockerJson(line);
                return Format.DOCKER_JSON;
            } catch (ParseException notJson) {
                throw new IOException("failed to get parse function: unsupported log format: \""
                        + new String(line, StandardCharsets.UTF_8).strip() + "\"");
            }
        }
    }

    /** kubelet's parseCRILog. */
    static Message parseCri(byte[] line) throws ParseException {
        int idx = indexOf(line, (byte) ' ', 0);
        if (idx < 0) {
            throw new ParseException("timestamp is not found");
        }
        OffsetDateTime ts;
        try {
            ts = OffsetDateTime.parse(new String(line, 0, idx, StandardCharsets.UTF_8),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new ParseException("unexpected timestamp format");
        }
        int s2 = indexOf(line, (byte) ' ', idx + 1);
        if (s2 < 0) {
            throw new ParseException("stream type is not found");
        }
        String stream = new String(line, idx + 1, s2 - idx - 1, StandardCharsets.UTF_8);
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            throw new ParseException("unexpected stream type \"" + stream + "\"");
        }
        int s3 = indexOf(line, (byte) ' ', s2 + 1);
        if (s3 < 0) {
            throw new ParseException("log tag is not found");
        }
        String tags = new String(line, s2 + 1, s3 - s2 - 1, StandardCharsets.UTF_8);
        boolean partial = tags.split(":", -1)[0].equals("P");
        int end = line.length;
        if (partial && end > 0 && line[end - 1] == '\n') {
            end--;
        }
        byte[] log = new byte[Math.max(0, end - s3 - 1)];
        System.arraycopy(line, s3 + 1, log, 0, log.length);
        return new Message(ts, stream, log);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** kubelet's parseDockerJSONLog: {"log":"...","stream":"stdout","time":"..."}. */
    static Message parseDockerJson(byte[] line) throws ParseException {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                throw new ParseException("not a JSON object");
            }
            OffsetDateTime ts = n.hasNonNull("time") ? OffsetDateTime.parse(n.get("time").asText())
                    : Instant.EPOCH.atOffset(ZoneOffset.UTC);
            return new Message(ts, n.path("stream").asText(""), n.path("log").asText("").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | DateTimeParseException e) {
            throw new ParseException("failed to unmarshal log");
        }
    }

    /** kubelet's logWriter.write; false once the byte limit is reached. */
    private boolean write(Message msg, boolean addPrefix) throws IOException {
        if (opts.since() != null && msg.timestamp().toInstant().isBefore(opts.since())) {
            return true;
        }
        byte[] line = msg.log();
        if (opts.timestamps() && addPrefix) {
            // Go's RFC3339NanoFixed keeps the entry's own offset and writes "Z" for UTC
            byte[] prefix = (OUT_FORMAT.format(msg.timestamp()) + " ")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] joined = new byte[prefix.length + line.length];
            System.arraycopy(prefix, 0, joined, 0, prefix.length);
            System.arraycopy(line, 0, joined, prefix.length, line.length);
            line = joined;
        }
        if (line.length > remaining) {
            byte[] cut = new byte[(int) remaining];
            System.arraycopy(line, 0, cut, 0, cut.length);
            line = cut;
        }
        OutputStream out = switch (msg.stream()) {
            case "stdout" -> stdout;
            case "stderr" -> stderr;
            default -> throw new IOException("unexpected stream type \"" + msg.stream() + "\"");
        };
        out.write(line);
        remaining -= line.length;
        return remaining > 0;
    }
}
