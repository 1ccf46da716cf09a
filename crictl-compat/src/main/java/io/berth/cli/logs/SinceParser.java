package io.berth.cli.logs;

import io.berth.cli.app.GoDuration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * crictl's --since: a Go duration relative to now ("42m"), an RFC 3339 date or time with or without
 * zone ("2013-01-02T13:23:37", "2013-01-02", "2013-01-02T13:23:37Z"), or a Unix timestamp ("1700000000.5"),
 * as docker's {@code GetTimestamp}.
 */
public final class SinceParser {
    private SinceParser() {
    }

    public static Instant parse(String value, Instant now, ZoneId local) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.equals("0")) {
            try {
                return now.minus(GoDuration.parse(value)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            } catch (IllegalArgumentException notADuration) {
                // try the other forms
            }
        }
        boolean inLocation = !(value.chars().anyMatch(c -> c == 'z' || c == 'Z' || c == '+')
                || value.chars().filter(c -> c == '-').count() == 3);
        try {
            if (value.contains("T") || value.contains("t")) {
                if (inLocation) {
                    return LocalDateTime.parse(padTime(value), DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(local).toInstant();
                }
                return OffsetDateTime.parse(padTime(value), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            if (value.contains("-")) {
                if (inLocation) {
                    return LocalDate.parse(value).atStartOfDay(local).toInstant();
                }
                // 2006-01-02Z07:00
                String date = value.substring(0, 10);
                String zone = value.substring(10);
                return OffsetDateTime.parse(date + "T00:00:00" + zone).toInstant();
            }
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            if (value.contains("-")) {
                throw new IllegalArgumentException("parsing time \"" + value + "\": " + e.getMessage());
            }
        }
        // a Unix timestamp: seconds[.fraction]
        String[] parts = value.split("\\.", 2);
        try {
            long sec = Long.parseLong(parts[0]);
            long nanos = 0;
            if (parts.length == 2) {
                String frac = parts[1];
                nanos = (long) (Long.parseLong(frac) * Math.pow(10, 9 - frac.length()));
            }
            return Instant.ofEpochSecond(sec, nanos);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse value as time or duration: \"" + value + "\"");
        }
    }

    /** Go's layouts allow "2006-01-02T15" and "2006-01-02T15:04"; java.time wants minutes. */
    private static String padTime(String v) {
        int t = Math.max(v.indexOf('T'), v.indexOf('t'));
        String date = v.substring(0, t);
        String rest = v.substring(t + 1);
        int zoneAt = -1;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == 'Z' || c == 'z' || c == '+' || c == '-') {
                zoneAt = i;
                break;
            }
        }
        String time = zoneAt < 0 ? rest : rest.substring(0, zoneAt);
        String zone = zoneAt < 0 ? "" : rest.substring(zoneAt).toUpperCase(java.util.Locale.ROOT);
        if (!time.contains(":")) {
            time = time + ":00";
        }
        return date + "T" + time + zone;
    }
}
