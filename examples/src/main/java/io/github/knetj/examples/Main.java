package io.github.knetj.examples;

import io.github.knetj.api.BackendUnavailableException;

import java.util.Arrays;

/**
 * The {@code ./knetj} command line: {@code train}, {@code backends}, {@code gradcheck}, {@code bench}. Progress goes to
 * stderr, results to stdout, and every command's last stdout line is one JSON object.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: ./knetj <command> [options]
              train lenet|mlp|charlm|seq2seq|gpt train a model (--epochs --batch --lr --optimizer --seed --backend --threads
                                               --save FILE --load FILE --plot FILE.png --progress auto|bar|lines|off;
                                               MNIST models also --inputs standardized|unit --schedule constant|cosine)
              train softmax|mnist-cnn|resnet|linreg|gan   the model zoo (docs/zoo.md)
              backends                         every backend found, its devices, dtypes, or why it is unavailable
              gradcheck                        check every op's gradient (--op NAME|all --backend NAME --dtype float64|float32 --seed N --eps E)
                                               --eps-sweep [--op NAME | --layer dense|linear|conv|mlp|layernorm] [--plot FILE.png]
                                               --compare-backends [--op NAME|all | --layer NAME]
              bench matmul|conv|train          quick benchmarks (--threads N)
              test                             the whole test suite
              shell                            JShell with KnetJ loaded
            """;

    public static void main(String[] argv) {
        int code;
        String command = argv.length == 0 ? "help" : argv[0];
        String[] rest = argv.length == 0 ? argv : Arrays.copyOfRange(argv, 1, argv.length);
        try {
            code = switch (command) {
                case "train" -> TrainCommand.run(rest);
                case "backends" -> BackendsCommand.run(new Args(rest, java.util.Set.of()));
                case "gradcheck" -> GradCheckCommand.run(rest);
                case "bench" -> BenchCommand.run(rest);
                case "help", "--help", "-h" -> { System.out.print(USAGE); System.out.println(new Json().put("command", "help")); yield 0; }
                default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
            };
        } catch (BackendUnavailableException e) {
            System.err.println("knetj: " + e.getMessage());
            System.out.println(new Json().put("command", command).put("status", "error").put("error", e.getMessage()));
            code = 3;
        } catch (IllegalArgumentException e) {
            System.err.println("knetj: " + e.getMessage());
            System.out.println(new Json().put("command", command).put("status", "error").put("error", e.getMessage()));
            code = 2;
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("knetj: " + command + " failed: " + e);
            e.printStackTrace();
            System.out.println(new Json().put("command", command).put("status", "error").put("error", String.valueOf(e)));
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }
}
