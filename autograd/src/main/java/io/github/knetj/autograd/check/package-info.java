/**
 * Gradient checking: comparing the gradients autograd computes with finite differences, for one function
 * ({@link io.github.knetj.autograd.check.GradCheck}) or for every op of a catalog ({@code knetj gradcheck}).
 * <table>
 * <caption>What each file holds</caption>
 * <tr><th>file</th><th>what</th></tr>
 * <tr><td>{@link io.github.knetj.autograd.check.GradCheck}</td><td>the public checker: options, entries and the report</td></tr>
 * <tr><td>{@code FiniteDifferences}</td><td>one run of it: analytic gradients, then central differences per parameter</td></tr>
 * <tr><td>{@code EpsSweep}</td><td>the eps-sweep experiment: error against step size, central and forward differences</td></tr>
 * <tr><td>{@code OpCatalog}</td><td>the catalog of differentiable ops, each able to draw random cases</td></tr>
 * <tr><td>{@code MathCatalog}, {@code NNCatalog}, {@code AttentionCatalog}</td><td>its entries for {@code Ops}, {@code NNOps} and {@code AttentionOps}</td></tr>
 * <tr><td>{@code Sampling}</td><td>the random shapes and values the catalog draws</td></tr>
 * <tr><td>{@code GradCheckRunner}</td><td>the runner behind {@code knetj gradcheck}: checks catalog entries, prints a table</td></tr>
 * </table>
 */
package io.github.knetj.autograd.check;
