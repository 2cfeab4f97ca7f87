package io.github.knetj.spark;

import io.github.knetj.io.ModelIO;
import io.github.knetj.io.SafeTensors;
import io.github.knetj.layers.Layer;
import io.github.knetj.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end-of-epoch checkpoint of a Spark run: the model and optimizer state ({@link ModelIO}, written to a temporary
 * file and renamed over the old one, so a reader sees the previous epoch's file or this one, never a torn one) and
 * what a resumed run must agree on to continue the same data order: the seed, the global batch, the workers, the
 * local steps. A resumed run refuses a checkpoint made with other settings rather than silently train another run.
 */
public final class Checkpoint {
    /** The file's name inside the checkpoint folder. */
    public static final String FILE = "checkpoint.safetensors";
    static final String EPOCH = "knetj.spark.epoch";
    static final String SETTINGS = "knetj.spark.settings";

    private Checkpoint() {}

    /** Writes the checkpoint of {@code epoch} (1-based, finished) into dir, atomically. */
    public static void save(Path dir, Layer model, Optimizer opt, int epoch, String settings) throws IOException {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put(EPOCH, Integer.toString(epoch));
        notes.put(SETTINGS, settings);
        ModelIO.save(dir.resolve(FILE), model, opt, notes);
    }

    /** Whether dir holds a checkpoint. */
    public static boolean exists(Path dir) { return Files.isRegularFile(dir.resolve(FILE)); }

    /**
     * Loads the checkpoint in dir into model and opt and returns the last finished epoch; fails, changing nothing,
     * when it was made with other settings.
     */
    public static int resume(Path dir, Layer model, Optimizer opt, String settings) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--resume: no checkpoint " + file);
        Map<String, String> meta = SafeTensors.metadata(file);
        String saved = meta.get(SETTINGS);
        if (!settings.equals(saved))
            throw new IllegalArgumentException("--resume: " + file + " was made with " + saved + ", this run has " + settings
                    + "; resume with the same settings, or start afresh in another folder");
        int epoch;
        try { epoch = Integer.parseInt(meta.getOrDefault(EPOCH, "")); }
        catch (NumberFormatException e) { throw new IllegalArgumentException("--resume: " + file + " has no valid '" + EPOCH + "' entry"); }
        ModelIO.load(file, model, opt);
        return epoch;
    }
}
