// The workload scripts/shell.sh runs once to write the shell's AOT cache: the greeting's three lines, so that the
// classes of tensors, autograd, layers, a backend and GradCheck are loaded and linked from the cache at start-up.
var model = new MLP(new Tanh(), 2, 8, 1); var x = array(new double[]{1, 2, 3, 4}, 2, 2); model.apply(x)
var t = diff(() -> sum(square(model.apply(x)))); t.grad(model.params().get(0))
GradCheck.check(() -> sum(square(model.apply(x))), model.params())
/exit
