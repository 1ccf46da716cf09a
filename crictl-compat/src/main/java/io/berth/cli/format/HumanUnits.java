package io.berth.cli.format;

import java.time.Duration;

/** The humanisation of docker/go-units that crictl prints: relative ages and decimal sizes. */
public final class HumanUnits {
    private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private HumanUnits() {
    }

    /** {@code units.HumanDuration}: "Less than a second", "About a minute", "3 hours", "2 weeks", ... */
    public static String humanDuration(Duration d) {
        long nanos = saturatedNanos(d);
        // Go: int(d.Seconds()), int(d.Minutes()), int(d.Hours()+0.5), each truncating toward zero.
        long seconds = (long) goUnits(nanos, 1_000_000_000L);
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = (long) goUnits(nanos, 60_000_000_000L);
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (goUnits(nanos, 3_600_000_000_000L) + 0.5);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return (hours / 24) + " days";
        } else if (hours < 24 * 30 * 2) {
            return (hours / 24 / 7) + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return (hours / 24 / 30) + " months";
        }
        return ((long) goUnits(nanos, 3_600_000_000_000L) / 24 / 365) + " years";
    }

    /** crictl's CREATED column: {@code HumanDuration(now - created) + " ago"}. */
    public static String ago(long createdUnixNanos, long nowUnixNanos) {
        return humanDuration(Duration.ofNanos(nowUnixNanos - createdUnixNanos)) + " ago";
    }

    /** {@code units.HumanSize}: four significant digits, decimal units ("1.583MB"). */
    public static String humanSize(double size) {
        return humanSizeWithPrecision(size, 4);
    }

    /** {@code units.HumanSizeWithPrecision}; crictl's image tables use precision 3 ("1.58MB"). */
    public static String humanSizeWithPrecision(double size, int precision) {
        int i = 0;
        while (size >= 1000.0 && i < DECIMAL_UNITS.length - 1) {
            size = size / 1000.0;
            i++;
        }
        return GoFloat.formatG(size, precision) + DECIMAL_UNITS[i];
    }

    /** Go converts uint64 to float64 for sizes; Java's long is signed, so read it unsigned. */
    public static double unsignedToDouble(long value) {
        if (value >= 0) {
            return value;
        }
        return (double) (value >>> 1) * 2.0 + (value & 1);
    }

    /** Go's {@code Duration.Seconds/Minutes/Hours}: whole units plus the remainder as a fraction. */
    private static double goUnits(long nanos, long unit) {
        return (double) (nanos / unit) + (double) (nanos % unit) / unit;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
