package io.github.knetj.api;

/**
 * The number of threads a CPU backend may use: {@code knetj.threads}, else {@code KNETJ_THREADS}, else the number of
 * processors. A count must be a whole number from 1 to four times the processors: more threads than that only add
 * switching (and {@code --threads 100000} once started ~32,000 OS threads before the JVM died), so they are refused
 * with the value and the bound rather than tried.
 */
public final class ThreadCount {
    private ThreadCount() {}

    /** The largest count accepted: four threads per processor. */
    public static int max() { return 4 * Runtime.getRuntime().availableProcessors(); }

    /** {@code value} as a thread count, or an error naming {@code source} (the option or variable it came from) and the bounds. */
    public static int parse(String source, String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": expected a thread count from 1 to " + max() + ", got '" + value + "'");
        }
        return check(source, n);
    }

    /** n, or an error naming {@code source} when it is outside [1, {@link #max()}]. */
    public static int check(String source, int n) {
        if (n < 1 || n > max())
            throw new IllegalArgumentException(source + ": expected a thread count from 1 to " + max() + " (4 per processor, "
                    + Runtime.getRuntime().availableProcessors() + " processors), got " + n);
        return n;
    }

    /** The configured count, as described on the class, or an error naming the property or variable that is wrong. */
    public static int configured() {
        String s = System.getProperty("knetj.threads");
        if (s != null && !s.isBlank()) return parse("knetj.threads", s);
        s = System.getenv("KNETJ_THREADS");
        if (s != null && !s.isBlank()) return parse("KNETJ_THREADS", s);
        return Runtime.getRuntime().availableProcessors();
    }
}
