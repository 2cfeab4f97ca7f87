package io.github.knetj.fuzz;

import io.github.knetj.tck.property.Gen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A mutation fuzzer as a generator of the project's property harness: each case is a corpus file with one to eight
 * random mutations (bit flips, interesting bytes, interesting integers at little- and big-endian length fields,
 * inserted, deleted and duplicated runs, splices of two corpus files, and edits of the JSON text: digits grown past
 * 2^63, quotes and braces dropped or doubled, names repeated). Jazzer is not served by the Maven mirror here, so the
 * guidance is coarse: a case whose outcome (the message with its numbers blanked) is new joins the corpus of the run,
 * and later cases mutate it further. Shrinking drops halves and single bytes, toward the smallest failing file.
 */
final class Mutations implements Gen<byte[]> {
    private static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 9, 255, 256, 65535, 65536, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
            0xffff_ffffL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 20, (1L << 20) + 1};
    private static final byte[] BYTES = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xc3, (byte) 0xed, '{', '}', '[', ']', '"', ',', ':', ' ', '-', '9'};

    private final List<byte[]> corpus;
    private final boolean bigEndian;

    /** Mutations of the seed files; bigEndian: integer fields are big-endian (idx) rather than little-endian (safetensors). */
    Mutations(List<byte[]> seeds, boolean bigEndian) {
        this.corpus = new ArrayList<>(seeds);
        this.bigEndian = bigEndian;
    }

    /** Adds an input whose outcome was new, so that later cases build on it (bounded, oldest seeds kept). */
    synchronized void learn(byte[] input) { if (corpus.size() < 512 && input.length < 1 << 16) corpus.add(input); }

    synchronized int size() { return corpus.size(); }

    @Override public synchronized byte[] generate(SplittableRandom r) {
        byte[] b = corpus.get(r.nextInt(corpus.size())).clone();
        for (int k = 1 + r.nextInt(8); k > 0; k--) b = mutate(b, r);
        return b;
    }

    private byte[] mutate(byte[] b, SplittableRandom r) {
        int n = b.length;
        switch (r.nextInt(11)) {
            case 0 -> { if (n > 0) b[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8)); }
            case 1 -> { if (n > 0) b[r.nextInt(n)] = BYTES[r.nextInt(BYTES.length)]; }
            case 2 -> {   // an interesting integer where a length or dimension may be
                if (n >= 8) {
                    int at = r.nextBoolean() ? 0 : r.nextInt(n - 3);
                    long v = INTERESTING[r.nextInt(INTERESTING.length)];
                    ByteBuffer buf = ByteBuffer.wrap(b).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    if (at + 8 <= n && r.nextBoolean()) buf.putLong(at, v); else buf.putInt(Math.min(at, n - 4), (int) v);
                }
            }
            case 3 -> { if (n > 0) b = Arrays.copyOf(b, r.nextInt(n)); }   // truncate
            case 4 -> {   // insert a run of one random byte
                int at = r.nextInt(n + 1), len = 1 + r.nextInt(16);
                byte[] out = new byte[n + len];
                System.arraycopy(b, 0, out, 0, at);
                Arrays.fill(out, at, at + len, BYTES[r.nextInt(BYTES.length)]);
                System.arraycopy(b, at, out, at + len, n - at);
                b = out;
            }
            case 5 -> {   // delete a run
                if (n > 1) {
                    int at = r.nextInt(n), len = 1 + r.nextInt(Math.min(16, n - at));
                    byte[] out = new byte[n - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, n - at - len);
                    b = out;
                }
            }
            case 6 -> {   // duplicate a run
                if (n > 1) {
                    int at = r.nextInt(n), len = 1 + r.nextInt(Math.min(32, n - at));
                    byte[] out = new byte[n + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, n - at);
                    b = out;
                }
            }
            case 7 -> {   // splice: the head of this file and the tail of another
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                int cut = r.nextInt(n + 1), from = r.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                b = out;
            }
            default -> b = editText(b, r);   // the JSON of a safetensors header, or digits anywhere
        }
        return b;
    }

    /** Replaces a run of digits by a huge or negative number, or drops or doubles one structural character. */
    private static byte[] editText(byte[] b, SplittableRandom r) {
        String s = new String(b, StandardCharsets.ISO_8859_1);   // one char per byte, so positions are byte positions
        List<Integer> digits = new ArrayList<>(), marks = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c) && (i == 0 || !Character.isDigit(s.charAt(i - 1)))) digits.add(i);
            if ("{}[]\",:".indexOf(c) >= 0) marks.add(i);
        }
        if (!digits.isEmpty() && r.nextBoolean()) {
            int at = digits.get(r.nextInt(digits.size())), end = at;
            while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
            String[] numbers = {"18446744073709551616", "9223372036854775807", "-1", "0", "2147483648", "1e400", "0.5", "00"};
            s = s.substring(0, at) + numbers[r.nextInt(numbers.length)] + s.substring(end);
        } else if (!marks.isEmpty()) {
            int at = marks.get(r.nextInt(marks.size()));
            s = r.nextBoolean() ? s.substring(0, at) + s.substring(at + 1) : s.substring(0, at + 1) + s.substring(at);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override public List<byte[]> shrink(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        if (b.length == 0) return out;
        out.add(Arrays.copyOf(b, b.length / 2));
        out.add(Arrays.copyOfRange(b, b.length / 2, b.length));
        for (int i = b.length - 1; i >= 0 && out.size() < 64; i -= Math.max(1, b.length / 32)) {
            byte[] c = new byte[b.length - 1];
            System.arraycopy(b, 0, c, 0, i);
            System.arraycopy(b, i + 1, c, i, b.length - 1 - i);
            out.add(c);
        }
        return out;
    }
}
