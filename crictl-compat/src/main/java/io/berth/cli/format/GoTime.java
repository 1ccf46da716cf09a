package io.berth.cli.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/** Go's time formatting for what crictl prints: RFC3339Nano and {@code Time.String()}. */
public final class GoTime {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private GoTime() {
    }

    /** {@code time.Unix(0, nanos).Format(time.RFC3339Nano)} in {@code zone}: fraction without trailing zeros. */
    public static String rfc3339Nano(long unixNanos, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L),
                Math.floorMod(unixNanos, 1_000_000_000L)).atZone(zone);
        return rfc3339Nano(t);
    }

    public static String rfc3339Nano(ZonedDateTime t) {
        StringBuilder sb = new StringBuilder(t.format(DATE_TIME));
        appendFraction(sb, t.getNano(), true);
        int offset = t.getOffset().getTotalSeconds();
        if (offset == 0) {
            sb.append('Z');
        } else {
            sb.append(offsetText(offset, true));
        }
        return sb.toString();
    }

    /** Go's zero time.Time formatted with RFC3339Nano. */
    public static String zeroRfc3339Nano() {
        return "0001-01-01T00:00:00Z";
    }

    /** {@code time.Time.String()}: "2006-01-02 15:04:05.999999999 -0700 MST". */
    public static String goString(long unixNanos, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L),
                Math.floorMod(unixNanos, 1_000_000_000L)).atZone(zone);
        StringBuilder sb = new StringBuilder(t.format(SPACED));
        appendFraction(sb, t.getNano(), true);
        int offset = t.getOffset().getTotalSeconds();
        sb.append(' ').append(offsetText(offset, false)).append(' ').append(zoneAbbreviation(t));
        return sb.toString();
    }

    private static void appendFraction(StringBuilder sb, int nanos, boolean trim) {
        if (nanos == 0) {
            return;
        }
        String f = String.format("%09d", nanos);
        if (trim) {
            int end = f.length();
            while (end > 0 && f.charAt(end - 1) == '0') {
                end--;
            }
            f = f.substring(0, end);
        }
        sb.append('.').append(f);
    }

    private static String offsetText(int totalSeconds, boolean colon) {
        char sign = totalSeconds < 0 ? '-' : '+';
        int abs = Math.abs(totalSeconds);
        return String.format(colon ? "%c%02d:%02d" : "%c%02d%02d", sign, abs / 3600, (abs / 60) % 60);
    }

    /** Go prints the tz database abbreviation, or the numeric offset ("+03") when there is none. */
    private static String zoneAbbreviation(ZonedDateTime t) {
        if (t.getZone() instanceof ZoneOffset || t.getZone().getId().equals("Etc/UTC") || t.getZone().getId().equals("UTC")) {
            return t.getOffset().getTotalSeconds() == 0 ? "UTC" : offsetText(t.getOffset().getTotalSeconds(), false);
        }
        String abbr = t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT);
        String dst = DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(t);
        String name = dst.isEmpty() ? abbr : dst;
        if (name.startsWith("GMT") && name.length() > 3) {
            int secs = t.getOffset().getTotalSeconds();
            int abs = Math.abs(secs);
            String s = String.format("%c%02d", secs < 0 ? '-' : '+', abs / 3600);
            return (abs / 60) % 60 == 0 ? s : s + String.format("%02d", (abs / 60) % 60);
        }
        return name;
    }
}
