// The KnetJ classroom's startup: the imports a student needs, float64 by default, and three lines to try.
// Every package the tutorial's samples use is imported here; DocsJShellTest types them all in after this script.
import io.github.knetj.api.*;
import io.github.knetj.autograd.*;
import io.github.knetj.autograd.AutoGrad.*;
import io.github.knetj.autograd.check.*;
import io.github.knetj.autograd.AttentionOps.*;
import io.github.knetj.layers.*;
import io.github.knetj.layers.rnn.*;
import io.github.knetj.layers.transformer.*;
import io.github.knetj.examples.gpt.*;
import io.github.knetj.optim.*;
import io.github.knetj.data.*;
import io.github.knetj.train.*;
import io.github.knetj.io.*;
import static io.github.knetj.autograd.AutoGrad.*;
import static io.github.knetj.autograd.Ops.*;
import static io.github.knetj.autograd.NNOps.*;
import static io.github.knetj.layers.Init.*;

// Gradient checks in the classroom want float64's precision; Defaults.dtype(DType.FLOAT32) switches back, and training
// needs it for the CLI's speed: LeNet trained in float64 here took 1.7x the CPU time of ./knetj's float32, and the
// same in float32 (measured on 12,000 MNIST images: 8.4 s here, 8.6 s with java and the CLI's flags).
Defaults.dtype(DType.FLOAT64);

System.out.println("""
    KnetJ classroom: tensors, autograd, layers, optimizers, data, Trainer, ModelIO and GradCheck are imported; values are float64.
    To train as fast as ./knetj train (which trains in float32): Defaults.dtype(DType.FLOAT32)
    Three lines to try:
      var model = new MLP(new Tanh(), 2, 8, 1); var x = array(new double[]{1, 2, 3, 4}, 2, 2); model.apply(x)
      var t = diff(() -> sum(square(model.apply(x)))); t.grad(model.params().get(0))
      GradCheck.check(() -> sum(square(model.apply(x))), model.params())
    /exit leaves; docs/ has the tutorial.
    """);
