// The KnetJ classroom's startup: the imports a student needs. Every package the tutorial's samples use is imported
// here; DocsJShellTest types them all in after this script. Only imports: JShell compiles each statement of a startup
// script as a snippet of its own before the first prompt, so the greeting (scripts/knetj-greeting.txt) is printed by
// scripts/shell.sh and float64 is set by its -Dknetj.dtype=float64, which together saved about 0.2 s of CPU at start-up.
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
