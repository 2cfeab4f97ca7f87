package io.github.knetj.spark.cli;

import io.github.knetj.api.BackendUnavailableException;

import java.util.Arrays;

/**
 * {@code ./knetj spark <command>}: KnetJ's commands that run on Apache Spark, apart from the default CLI so that it
 * does not carry Spark. Progress and Spark's warnings go to stderr; the last stdout line is one JSON object.
 */
public final class SparkMain {
    private SparkMain() {}

    static final String USAGE = """
            usage: ./knetj spark <command> [options]
              train lenet|mlp     data-parallel training on MNIST (--master local[2]|spark://HOST:PORT --workers W --epochs E
                                  --batch GLOBAL --lr --optimizer --seed --local-steps K --checkpoint DIR --resume
                                  --inputs standardized|unit --dtype --threads N)
              sweep lenet|mlp     a hyper-parameter grid, one single-process training per Spark task
                                  (--lr 1e-3,3e-3 --batch 50,100 --epochs E --optimizer --seed --limit N, and the cluster options)
              gradcheck           every catalog op's gradient check as Spark tasks (--op NAME|all --dtype --seed),
                                  or its eps sweep (--eps-sweep); one merged table
              cost-model          simulated speed-up of each exchange for a model's numbers, no Spark started
                                  (--parameters --batch --ms-per-example --overhead-ms --gbps --latency-ms --straggle
                                  --local-steps H --state-slots N --workers 1,2,4,...)
              help                this text
            cluster options: --master (default local[W]) --workers W (default 2) --threads N --backend NAME --executor-wait SECONDS
            """;

    public static void main(String[] argv) {
        String command = argv.length == 0 ? "help" : argv[0];
        String[] rest = argv.length == 0 ? argv : Arrays.copyOfRange(argv, 1, argv.length);
        int code;
        try {
            code = switch (command) {
                case "train" -> TrainCommand.run(rest);
                case "sweep" -> SweepCommand.run(rest);
                case "gradcheck" -> GradCheckCommand.run(rest);
                case "cost-model" -> CostModelCommand.run(rest);
                case "help", "--help", "-h" -> { System.out.print(USAGE); System.out.println(new JsonLine().put("command", "spark help")); yield 0; }
                default -> throw new IllegalArgumentException("unknown spark command '" + command + "'\n" + USAGE);
            };
        } catch (IllegalArgumentException | BackendUnavailableException e) {
            System.err.println("knetj spark: " + e.getMessage());
            System.out.println(new JsonLine().put("command", "spark " + command).put("status", "error").put("error", e.getMessage()));
            code = 2;
        } catch (Exception e) {
            System.err.println("knetj spark: " + command + " failed: " + e);
            e.printStackTrace();
            System.out.println(new JsonLine().put("command", "spark " + command).put("status", "error").put("error", String.valueOf(e)));
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }
}
