package io.github.knetj.tck.property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of random test cases: {@link #generate} draws one from a seeded random source, and {@link #shrink}
 * proposes "smaller" variants of a failing case so that {@link Property} can report the simplest one it finds.
 *
 * @param <T> the type of the generated cases
 */
public interface Gen<T> {
    /** A random case; the same random state always gives the same case (that is what makes seeds replayable). */
    T generate(SplittableRandom r);

    /** Candidates that are simpler than {@code value}, simplest first; empty when it cannot shrink. */
    default List<T> shrink(T value) { return List.of(); }

    /** A generator of f(case). It shrinks by shrinking the case each value came from, which it remembers. */
    default <U> Gen<U> map(Function<? super T, ? extends U> f) {
        Gen<T> source = this;
        // Identity keys: two equal values may come from different sources, and either source reproduces the value.
        Map<U, T> origin = Collections.synchronizedMap(new IdentityHashMap<>());
        return new Gen<>() {
            @Override public U generate(SplittableRandom r) { return remember(source.generate(r)); }

            @Override public List<U> shrink(U value) {
                T from = origin.get(value);
                if (from == null) return List.of();
                List<U> out = new ArrayList<>();
                for (T smaller : source.shrink(from)) out.add(remember(smaller));
                return out;
            }

            private U remember(T t) {
                U u = f.apply(t);
                if (origin.size() > 100_000) origin.clear();   // bound the memory of long runs; only shrinking needs it
                origin.put(u, t);
                return u;
            }
        };
    }
}
