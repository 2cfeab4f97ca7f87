package io.github.knetj.examples.cli;

import java.util.ArrayList;
import java.util.List;

import static io.github.knetj.examples.cli.BadInput.in;
import static io.github.knetj.examples.cli.BadInput.of;

/**
 * The catalogue of bad command lines, grouped as the issue groups them. Files named here ("{dir}/...") are made by
 * {@link HostileFiles} in the test's folder. Every item must end in its exit code with one clear error line.
 */
final class BadInputs {
    private BadInputs() {}

    static final int FAILED = 1, USAGE = 2, BACKEND = 3;

    static List<BadInput> all() {
        List<BadInput> c = new ArrayList<>();
        // ---- commands, models and options that do not exist
        c.add(of("unknown command", USAGE, "'frobnicate'", "frobnicate"));
        c.add(of("unknown command", USAGE, "expected a model", "train"));
        c.add(of("unknown command", USAGE, "'vgg'", "train", "vgg"));
        c.add(of("unknown command", USAGE, "'frob'", "bench", "frob"));
        c.add(of("unknown command", USAGE, "no command 'frob'", "help", "frob"));
        c.add(of("unknown option", USAGE, "did you mean --epochs", "train", "lenet", "--epoch", "2"));
        c.add(of("unknown option", USAGE, "'--colour'", "backends", "--colour", "red"));
        c.add(of("option the model lacks", USAGE, "'--plot'", "train", "charlm", "--plot", "x.png"));
        c.add(of("option the model lacks", USAGE, "'--progress'", "train", "seq2seq", "--progress", "bar"));
        c.add(of("option the model lacks", USAGE, "'--text'", "train", "lenet", "--text", "x.txt"));
        c.add(of("missing value", USAGE, "--epochs", "train", "lenet", "--epochs"));
        // ---- non-numeric and out-of-range values
        c.add(of("non-numeric", USAGE, "'abc'", "train", "lenet", "--epochs", "abc"));
        c.add(of("non-numeric", USAGE, "'99999999999'", "train", "lenet", "--epochs", "99999999999"));
        c.add(of("non-numeric", USAGE, "'abc'", "train", "mlp", "--threads", "abc"));
        c.add(of("non-numeric", USAGE, "'fast'", "train", "mlp", "--lr", "fast"));
        c.add(of("non-numeric", USAGE, "'a'", "bench", "matmul", "--sizes", "a,b"));
        c.add(of("non-numeric", USAGE, "'abc'", "gradcheck", "--eps", "abc"));
        c.add(of("non-numeric", USAGE, "'x'", "train", "seq2seq", "--seed", "x"));
        c.add(of("out of range", USAGE, "--epochs -1", "train", "lenet", "--epochs", "-1"));
        c.add(of("out of range", USAGE, "--epochs 5000", "train", "mlp", "--epochs", "5000"));
        c.add(of("out of range", USAGE, "--batch 0", "train", "lenet", "--batch", "0"));
        c.add(of("out of range", USAGE, "--batch 100000", "train", "mlp", "--batch", "100000"));
        c.add(of("out of range", USAGE, "--lr 0.0", "train", "mlp", "--lr", "0"));
        c.add(of("out of range", USAGE, "--lr -1.0", "train", "mlp", "--lr", "-1"));
        c.add(of("out of range", USAGE, "--lr NaN", "train", "mlp", "--lr", "NaN"));
        c.add(of("out of range", USAGE, "--lr Infinity", "train", "mlp", "--lr", "Infinity"));
        c.add(of("out of range", USAGE, "--lr 1.0E9", "train", "lenet", "--lr", "1e9"));
        c.add(of("out of range", USAGE, "got 0", "train", "mlp", "--threads", "0"));
        c.add(of("out of range", USAGE, "got -3", "train", "mlp", "--threads", "-3"));
        c.add(of("out of range", USAGE, "got 100000", "train", "mlp", "--threads", "100000"));
        c.add(of("out of range", USAGE, "got 100000", "bench", "matmul", "--threads", "100000"));
        c.add(of("out of range", USAGE, "--sizes 0", "bench", "matmul", "--sizes", "0"));
        c.add(of("out of range", USAGE, "--sizes 100000", "bench", "matmul", "--sizes", "100000"));
        c.add(of("out of range", USAGE, "--seconds -1.0", "bench", "conv", "--seconds", "-1"));
        c.add(of("out of range", USAGE, "--eps 0.0", "gradcheck", "--eps", "0"));
        c.add(of("out of range", USAGE, "--seqlen 0", "train", "charlm", "--seqlen", "0"));
        c.add(of("out of range", USAGE, "--batch 100000", "train", "charlm", "--batch", "100000"));
        c.add(of("out of range", USAGE, "--hidden -5", "train", "seq2seq", "--hidden", "-5"));
        c.add(of("out of range", USAGE, "--minlen <= --maxlen", "train", "seq2seq", "--minlen", "5", "--maxlen", "3"));
        c.add(of("out of range", USAGE, "--maxlen <= 100", "train", "seq2seq", "--maxlen", "1000"));
        c.add(of("out of range", USAGE, "too few", "train", "seq2seq", "--minlen", "1", "--maxlen", "1"));   // once a hang
        c.add(of("out of range", USAGE, "--steps 0", "bench", "charlstm", "--steps", "0"));
        c.add(of("out of range", USAGE, "--shards 0", "train", "mlp", "--shards", "0"));
        c.add(of("out of range", USAGE, "--shards 101: expected from 1 to 100", "train", "lenet", "--shards", "101"));
        c.add(of("out of range", USAGE, "--shards 13: expected from 1 to 12", "train", "gpt", "--shards", "13"));
        c.add(of("bad choice", USAGE, "--shards 'bogus': expected a shard count or auto", "train", "gpt", "--shards", "bogus"));
        // ---- names that are not one of the choices
        c.add(of("bad choice", USAGE, "--optimizer foo", "train", "mlp", "--optimizer", "foo"));
        c.add(of("bad choice", USAGE, "--optimizer foo", "train", "charlm", "--optimizer", "foo"));
        c.add(of("bad choice", USAGE, "'bogus'", "train", "mlp", "--inputs", "bogus"));
        c.add(of("bad choice", USAGE, "'bogus'", "train", "mlp", "--schedule", "bogus"));
        c.add(of("bad choice", USAGE, "'bogus'", "train", "mlp", "--progress", "bogus"));
        c.add(of("bad choice", USAGE, "float16", "train", "mlp", "--dtype", "float16"));
        c.add(of("bad choice", USAGE, "int8", "gradcheck", "--dtype", "int8"));
        c.add(of("bad choice", USAGE, "unknown op 'bogus'", "gradcheck", "--op", "bogus"));
        c.add(of("bad choice", USAGE, "unknown op 'tanhh'; did you mean tanh?", "gradcheck", "--op", "tanhh"));
        c.add(of("bad choice", USAGE, "did you mean adam?", "train", "seq2seq", "--optimizer", "adma"));
        c.add(of("unknown command", USAGE, "did you mean lenet", "train", "lenett"));   // "lenet or resnet?"
        c.add(of("unknown command", USAGE, "did you mean train", "tran", "lenet"));
        c.add(of("bad choice", USAGE, "unknown layer 'lstm'", "gradcheck", "--layer", "lstm", "--eps-sweep"));
        c.add(of("bad choice", USAGE, "--model resnet", "bench", "train", "--model", "resnet"));
        // ---- options that conflict
        c.add(of("conflicting", USAGE, "--epochs 0", "train", "mlp", "--epochs", "0", "--plot", "x.png"));
        c.add(of("conflicting", USAGE, "choose one", "gradcheck", "--eps-sweep", "--compare-backends", "--op", "tanh"));
        c.add(of("conflicting", USAGE, "add --eps-sweep", "gradcheck", "--op", "tanh", "--plot", "x.png"));
        c.add(of("conflicting", USAGE, "not both", "gradcheck", "--op", "tanh", "--layer", "dense"));
        c.add(of("conflicting", USAGE, "drop --dtype", "gradcheck", "--op", "tanh", "--eps-sweep", "--dtype", "float32", "--backend", "reference"));
        c.add(of("conflicting", USAGE, "use --steps", "bench", "train", "--model", "charlstm", "--epochs", "2"));
        c.add(of("conflicting", USAGE, "--epochs", "train", "mlp", "--epochs", "1", "--epochs", "2"));
        c.add(of("unknown command", USAGE, "'extra'", "train", "lenet", "extra"));
        c.add(of("non-numeric", USAGE, "''", "train", "lenet", "--threads="));
        c.add(of("oversized option", USAGE, "--optimizer xxxxxxxx", "train", "mlp", "--optimizer", "x".repeat(100_000)));
        c.add(of("hostile path", USAGE, "Nul character", "train", "mlp", "--save", "a\0b.safetensors"));
        c.add(of("hostile path", USAGE, "Nul character", "train", "charlm", "--text", "t\0.txt"));
        // ---- unavailable backends
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "backends", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "train", "mlp", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "train", "charlm", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "gradcheck", "--op", "tanh", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "bench", "matmul", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "gradcheck", "--compare-backends", "--op", "tanh", "--backend", "bogus"));
        // ---- missing, unreadable and wrong-type files
        c.add(in("missing file", USAGE, "no such file", "train", "mlp", "--load", "{dir}/missing.safetensors"));
        c.add(in("missing file", USAGE, "no such file", "train", "charlm", "--text", "{dir}/missing.txt"));
        c.add(in("missing file", USAGE, "no such file", "train", "seq2seq", "--load", "{dir}/missing.safetensors"));
        c.add(of("missing file", USAGE, "empty", "train", "mlp", "--load", ""));
        c.add(in("wrong-type file", USAGE, "a directory", "train", "mlp", "--load", "{dir}"));
        c.add(in("wrong-type file", USAGE, "a FIFO", "train", "mlp", "--epochs", "0", "--load", "{dir}/" + HostileFiles.FIFO));   // once a hang
        c.add(in("wrong-type file", USAGE, "a FIFO", "train", "charlm", "--text", "{dir}/" + HostileFiles.FIFO));
        c.add(in("wrong-type file", USAGE, "a directory", "train", "charlm", "--text", "{dir}"));
        c.add(of("wrong-type file", USAGE, "not a regular file", "train", "charlm", "--text", "/dev/zero"));   // endless: a hang or OOM
        c.add(of("wrong-type file", USAGE, "not a regular file", "train", "mlp", "--load", "/dev/zero"));
        c.add(of("wrong-type file", USAGE, "not a regular file", "train", "seq2seq", "--load", "/dev/urandom"));
        c.add(in("wrong-type file", USAGE, "not UTF-8", "train", "charlm", "--text", "{dir}/" + HostileFiles.BINARY_TEXT));
        c.add(in("wrong-type file", USAGE, "too short", "train", "charlm", "--text", "{dir}/" + HostileFiles.SHORT_TEXT));
        c.add(in("oversized file", USAGE, "more than the 67108864 charlm reads", "train", "charlm", "--text", "{dir}/" + HostileFiles.HUGE_TEXT));
        c.add(in("oversized file", FAILED, "needs 3221225464 bytes", "train", "mlp", "--epochs", "0", "--load", "{dir}/" + HostileFiles.HUGE_MODEL));
        c.add(in("wrong-type file", FAILED, "is impossible", "train", "mlp", "--load", "{dir}/" + HostileFiles.SHORT_TEXT));
        c.add(in("wrong-type file", USAGE, "the file holds names the model does not have", "train", "mlp", "--epochs", "0", "--load", "{dir}/" + HostileFiles.OTHER_MODEL));
        c.add(in("save target", USAGE, "is a directory", "train", "mlp", "--save", "{dir}"));
        c.add(of("save target", USAGE, "not a regular file", "train", "mlp", "--save", "/dev/null"));   // once replaced by root
        c.add(in("save target", USAGE, "is not a directory", "train", "mlp", "--save", "{dir}/" + HostileFiles.SHORT_TEXT + "/m.safetensors"));
        c.add(of("save target", USAGE, "cannot create a file", "train", "mlp", "--save", "/proc/knetj-test.safetensors"));
        c.add(of("save target", USAGE, "empty", "train", "seq2seq", "--save", ""));
        c.add(in("save target", USAGE, "is a directory", "train", "charlm", "--save", "{dir}"));
        c.add(in("save target", USAGE, "is a directory", "gradcheck", "--op", "tanh", "--eps-sweep", "--plot", "{dir}"));
        c.add(in("save target", USAGE, "not a regular file", "train", "lenet", "--plot", "/dev/null"));
        // ---- the zoo's models and gpt: each its own options, values checked before any data loads
        c.add(of("unknown option", USAGE, "'--bogus'", "train", "resnet", "--bogus"));
        c.add(of("unknown option", USAGE, "did you mean --width", "train", "resnet", "--widht", "8"));
        c.add(of("unknown option", USAGE, "did you mean --steps", "train", "gpt", "--step", "5"));
        c.add(of("option the model lacks", USAGE, "'--schedule'", "train", "gan", "--schedule", "cosine"));
        c.add(of("option the model lacks", USAGE, "'--train-size'", "train", "linreg", "--train-size", "10"));
        c.add(of("option the model lacks", USAGE, "'--arch'", "train", "softmax", "--arch", "knetlayers"));
        c.add(of("option the model lacks", USAGE, "'--epochs'", "train", "gpt", "--epochs", "1"));
        c.add(of("option the model lacks", USAGE, "'--plot'", "train", "gpt", "--plot", "x.png"));
        c.add(of("option the model lacks", USAGE, "'--progress'", "train", "gpt", "--progress", "bar"));
        c.add(of("non-numeric", USAGE, "'abc'", "train", "softmax", "--epochs", "abc"));
        c.add(of("non-numeric", USAGE, "'x'", "train", "gpt", "--embd", "x"));
        c.add(of("out of range", USAGE, "--epochs -1", "train", "softmax", "--epochs", "-1"));
        c.add(of("out of range", USAGE, "--batch 0", "train", "mnist-cnn", "--batch", "0"));
        c.add(of("out of range", USAGE, "--train-size 0", "train", "softmax", "--train-size", "0"));
        c.add(of("out of range", USAGE, "--test-size 20000", "train", "mnist-cnn", "--test-size", "20000"));
        c.add(of("out of range", USAGE, "--width 0", "train", "resnet", "--width", "0"));
        c.add(of("out of range", USAGE, "--blocks -2", "train", "resnet", "--blocks", "-2"));
        c.add(of("out of range", USAGE, "--lr 0.0", "train", "linreg", "--lr", "0"));
        c.add(of("out of range", USAGE, "--epochs 0", "train", "gan", "--epochs", "0"));
        c.add(of("out of range", USAGE, "--zdim 0", "train", "gan", "--zdim", "0"));
        c.add(of("out of range", USAGE, "--train-size 70000", "train", "gan", "--train-size", "70000"));
        c.add(of("out of range", USAGE, "--steps -1", "train", "gpt", "--steps", "-1"));
        c.add(of("out of range", USAGE, "a multiple of --heads 4", "train", "gpt", "--embd", "130"));
        c.add(of("out of range", USAGE, "--temperature 0.0", "train", "gpt", "--temperature", "0"));
        c.add(of("out of range", USAGE, "--eval-every 0", "train", "gpt", "--eval-every", "0"));
        c.add(of("bad choice", USAGE, "--arch vgg", "train", "mnist-cnn", "--arch", "vgg"));
        c.add(of("bad choice", USAGE, "did you mean adam?", "train", "softmax", "--optimizer", "adma"));
        c.add(of("bad choice", USAGE, "--optimizer foo", "train", "linreg", "--optimizer", "foo"));
        c.add(of("bad choice", USAGE, "'bogus'", "train", "resnet", "--schedule", "bogus"));
        c.add(of("bad choice", USAGE, "'bogus'", "train", "gan", "--progress", "bogus"));
        c.add(of("conflicting", USAGE, "--epochs 0", "train", "softmax", "--epochs", "0", "--plot", "x.png"));
        c.add(of("conflicting", USAGE, "--epochs 0", "train", "linreg", "--epochs", "0", "--plot", "x.png"));
        c.add(of("missing value", USAGE, "--prompt", "train", "gpt", "--prompt", ""));
        c.add(of("hostile path", USAGE, "Nul character", "train", "gan", "--out", "a\0b"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "train", "resnet", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "train", "gan", "--backend", "bogus"));
        c.add(of("unavailable backend", BACKEND, "backend 'bogus'", "train", "gpt", "--backend", "bogus"));
        c.add(in("missing file", USAGE, "no such file", "train", "softmax", "--load", "{dir}/missing.safetensors"));
        c.add(in("missing file", USAGE, "no such file", "train", "resnet", "--pretrained", "{dir}/missing.safetensors"));
        c.add(in("missing file", USAGE, "no such file", "train", "gpt", "--text", "{dir}/missing.txt"));
        c.add(in("wrong-type file", USAGE, "a FIFO", "train", "gpt", "--text", "{dir}/" + HostileFiles.FIFO));
        c.add(in("wrong-type file", USAGE, "not UTF-8", "train", "gpt", "--backend", "reference", "--text", "{dir}/" + HostileFiles.BINARY_TEXT));
        c.add(in("wrong-type file", USAGE, "too short", "train", "gpt", "--backend", "reference", "--text", "{dir}/" + HostileFiles.SHORT_TEXT));
        c.add(in("wrong-type file", USAGE, "the file holds names the model does not have", "train", "softmax", "--epochs", "0", "--load", "{dir}/" + HostileFiles.OTHER_MODEL));
        c.add(in("wrong-type file", USAGE, "names the model does not have", "train", "gan", "--backend", "reference", "--load", "{dir}/" + HostileFiles.OTHER_MODEL));
        c.add(in("wrong-type file", USAGE, "is not a folder", "train", "gan", "--out", "{dir}/" + HostileFiles.SHORT_TEXT));
        c.add(in("save target", USAGE, "is a directory", "train", "mnist-cnn", "--save", "{dir}"));
        c.add(in("save target", USAGE, "is a directory", "train", "gan", "--plot", "{dir}"));
        c.add(of("save target", USAGE, "not a regular file", "train", "gpt", "--save", "/dev/null"));
        c.add(in("hostile file", FAILED, "fewer than the 8", "train", "mnist-cnn", "--epochs", "0", "--load", "{dir}/empty.safetensors"));
        c.add(in("hostile file", FAILED, "does not parse", "train", "gpt", "--backend", "reference", "--load", "{dir}/not-json.safetensors"));
        // ---- truncated, oversized and hostile safetensors files
        for (HostileFiles.Bad f : HostileFiles.SAFETENSORS)
            c.add(in("hostile file", FAILED, f.says(), "train", "mlp", "--epochs", "0", "--load", "{dir}/" + f.name()));
        for (HostileFiles.Bad f : HostileFiles.SAFETENSORS)
            c.add(in("hostile file", FAILED, f.says(), "train", "seq2seq", "--backend", "reference", "--load", "{dir}/" + f.name()));
        return c;
    }
}
