package io.github.knetj.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Auto MPG (UCI; Quinlan 1993), a small real regression set: the fuel consumption in miles per gallon of 392 cars
 * of 1970–1982 (the 406 rows of the file less those with a missing value) from 8 features: cylinders, displacement,
 * horsepower, weight, acceleration, model year, and the origin as two indicators (Europe, Japan; USA is the base).
 * <p>
 * The file is {@code data/cars.json} of the npm package {@code vega-datasets} 3.2.1, fetched at first use into
 * {@code $KNETJ_DATA/auto-mpg} (else {@code ~/.knetj/data/auto-mpg}), checked against its SHA-256 and moved there
 * atomically. {@link #split} cuts it 80/20 by a fixed seeded order and standardizes the features with the training
 * part's mean and deviation; targets stay in miles per gallon, so an RMSE is in mpg.
 */
public final class AutoMpg {
    private AutoMpg() {}

    public static final Map<String, String> SHA256 = Map.of("cars.json", "f686a53678b21f4231e2f6a5ba7ce5761d9d39204fccdea1caa29fb8c460e319");

    public static final List<String> FEATURES = List.of("cylinders", "displacement", "horsepower", "weight", "acceleration", "year", "europe", "japan");

    /**
     * Examples as rows: x holds {@link #FEATURES} per example, y the miles per gallon.
     *
     * @param x size()·8 features, row after row
     * @param y the target of each row
     */
    public record Data(float[] x, float[] y) {
        public int size() { return y.length; }

        public int features() { return x.length / y.length; }
    }

    /** A training and a test part, the features standardized with the training part's statistics. */
    public record Split(Data train, Data test) {}

    public static Path cacheDir() { return NpmPackage.dataRoot().resolve("auto-mpg"); }

    /** Every complete row of the file, in file order, fetching it first when missing. */
    public static Data load() throws IOException { return read(NpmPackage.ensure("vega-datasets", cacheDir(), SHA256).resolve("cars.json")); }

    static Data read(Path file) throws IOException {
        JsonNode rows = new ObjectMapper().readTree(file.toFile());
        List<float[]> xs = new ArrayList<>();
        List<Float> ys = new ArrayList<>();
        String[] keys = {"Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration", "Year", "Origin"};
        for (JsonNode r : rows) {
            boolean complete = true;
            for (String k : keys) if (!r.hasNonNull(k)) complete = false;
            if (!complete) continue;
            String origin = r.get("Origin").asText(), year = r.get("Year").asText();
            if (!List.of("USA", "Europe", "Japan").contains(origin) || !year.matches("\\d{4}-.*"))
                throw new IOException(file + ": unexpected Origin '" + origin + "' or Year '" + year + "'");
            xs.add(new float[]{(float) r.get("Cylinders").asDouble(), (float) r.get("Displacement").asDouble(), (float) r.get("Horsepower").asDouble(),
                    (float) r.get("Weight_in_lbs").asDouble(), (float) r.get("Acceleration").asDouble(), Integer.parseInt(year.substring(0, 4)) - 1900,
                    origin.equals("Europe") ? 1 : 0, origin.equals("Japan") ? 1 : 0});
            ys.add((float) r.get("Miles_per_Gallon").asDouble());
        }
        float[] x = new float[xs.size() * FEATURES.size()], y = new float[ys.size()];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(xs.get(i), 0, x, i * FEATURES.size(), FEATURES.size());
            y[i] = ys.get(i);
        }
        return new Data(x, y);
    }

    /**
     * The rows ordered by {@link FashionMnist#splitKey splitKey}(0x4d, i) (unsigned), the first {@code testFraction}
     * of them (rounded) the test part and the rest the training part, then every feature standardized with the
     * training part's mean and (population) standard deviation.
     */
    public static Split split(Data d, double testFraction) {
        int n = d.size(), f = d.features(), nTest = (int) Math.round(n * testFraction);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Long.compareUnsigned(FashionMnist.splitKey(0x4d, a), FashionMnist.splitKey(0x4d, b)));
        Data test = rows(d, order, 0, nTest), train = rows(d, order, nTest, n);
        double[] mean = new double[f], std = new double[f];
        for (int i = 0; i < train.size(); i++) for (int k = 0; k < f; k++) mean[k] += train.x()[i * f + k] / (double) train.size();
        for (int i = 0; i < train.size(); i++) for (int k = 0; k < f; k++) std[k] += Math.pow(train.x()[i * f + k] - mean[k], 2) / train.size();
        for (int k = 0; k < f; k++) std[k] = Math.sqrt(std[k]);
        return new Split(standardized(train, mean, std), standardized(test, mean, std));
    }

    private static Data rows(Data d, Integer[] order, int from, int to) {
        int f = d.features();
        float[] x = new float[(to - from) * f], y = new float[to - from];
        for (int k = from; k < to; k++) {
            System.arraycopy(d.x(), order[k] * f, x, (k - from) * f, f);
            y[k - from] = d.y()[order[k]];
        }
        return new Data(x, y);
    }

    private static Data standardized(Data d, double[] mean, double[] std) {
        int f = mean.length;
        float[] x = new float[d.x().length];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((d.x()[i] - mean[i % f]) / std[i % f]);
        return new Data(x, d.y());
    }
}
