package io.github.knetj.tck.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knetj.api.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch conformance vectors ({@code ops.json}, format {@code conformance/1}): op cases and optimizer cases.
 * {@link #load()} reads the copy on the class path, or the file named by the environment variable
 * {@code KNETJ_CONFORMANCE_FILE} when it is set.
 *
 * @param format     the file's format tag
 * @param reference  what computed the numbers ("PyTorch 1.13.0a0, float64")
 * @param cases      the op cases
 * @param optimizers the optimizer cases
 */
public record Conformance(String format, String reference, List<Case> cases, List<OptimizerCase> optimizers) {
    /** Where the vectors live on the class path. */
    public static final String RESOURCE = "/io/github/knetj/tck/conformance/ops.json";
    /** The format this reader understands. */
    public static final String FORMAT = "conformance/1";

    /** The vectors from {@code KNETJ_CONFORMANCE_FILE} if set, else from the class path. */
    public static Conformance load() {
        String file = System.getenv("KNETJ_CONFORMANCE_FILE");
        if (file != null && !file.isBlank()) return load(Path.of(file));
        try (InputStream in = Conformance.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("conformance vectors not found on the class path at " + RESOURCE);
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading conformance vectors " + RESOURCE, e);
        }
    }

    /** The vectors in a file. */
    public static Conformance load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading conformance vectors " + file + " (KNETJ_CONFORMANCE_FILE)", e);
        }
    }

    /** Parses the JSON of a conformance file; {@code source} names it in errors. */
    public static Conformance parse(InputStream in, String source) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        String format = root.path("format").asText();
        if (!FORMAT.equals(format)) throw new IllegalArgumentException(source + ": format '" + format + "', expected '" + FORMAT + "'");
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.path("cases")) {
            cases.add(new Case(c.path("name").asText(), c.path("op").asText(), new Attrs(c.path("attrs")),
                    arrays(c.path("inputs")), arrays(c.path("outputs")), arrays(c.path("upstream")), arrays(c.path("grads"))));
        }
        List<OptimizerCase> optimizers = new ArrayList<>();
        for (JsonNode o : root.path("optimizers")) {
            optimizers.add(new OptimizerCase(o.path("name").asText(), new Attrs(o.path("attrs")), array(o.path("param"), "param"),
                    arrays(o.path("grads"), "grad"), arrays(o.path("after_each_step"), "after_step")));
        }
        return new Conformance(format, root.path("reference").asText(), List.copyOf(cases), List.copyOf(optimizers));
    }

    /** The case of this name, or an error listing that it is missing. */
    public Case byName(String name) {
        for (Case c : cases) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("no conformance case named '" + name + "' among " + cases.size() + " cases");
    }

    /** The optimizer case of this name. */
    public OptimizerCase optimizer(String name) {
        for (OptimizerCase c : optimizers) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("no optimizer case named '" + name + "' among " + optimizers.size() + " cases");
    }

    private static List<NamedArray> arrays(JsonNode list) { return arrays(list, null); }

    /** Arrays of a list; unnamed ones (optimizer steps) are called {@code prefix[i]}. */
    private static List<NamedArray> arrays(JsonNode list, String prefix) {
        List<NamedArray> out = new ArrayList<>();
        int i = 0;
        for (JsonNode a : list) {
            out.add(array(a, prefix == null ? null : prefix + "[" + i + "]"));
            i++;
        }
        return List.copyOf(out);
    }

    private static NamedArray array(JsonNode a, String fallbackName) {
        JsonNode s = a.path("shape"), d = a.path("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        double[] data = new double[d.size()];
        for (int i = 0; i < data.length; i++) data[i] = d.get(i).asDouble();
        String name = a.hasNonNull("name") ? a.get("name").asText() : fallbackName;
        return new NamedArray(name, Shape.of(shape), a.path("dtype").asText("float64"), data);
    }
}
