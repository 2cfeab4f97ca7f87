package io.github.knetj.examples;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/** The known name nearest a mistyped one, for "did you mean ...?" (edit distance, at most a third of the word). */
public final class Nearest {
    private Nearest() {}

    /** "; did you mean tanh?" or "" when no known name is close. */
    public static String suggestion(String given, Collection<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = known.stream().min(Comparator.comparingInt(k -> distance(g, k.toLowerCase(Locale.ROOT)))).orElse(null);
        if (best == null || distance(g, best.toLowerCase(Locale.ROOT)) > Math.max(1, g.length() / 3)) return "";
        return "; did you mean " + best + "?";
    }

    /** Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("adma" is one swap from "adam"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }
}
