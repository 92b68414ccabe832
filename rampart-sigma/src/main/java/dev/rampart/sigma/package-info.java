/**
 * Sigma detection: a pure library (no threads or I/O of its own beyond reading the rule files it is
 * given) used by the CLI, the server and, later, a Flink operator.
 *
 * <p>Start at {@link dev.rampart.sigma.Sigma}. The packages follow the way a rule travels: {@code
 * parse} turns YAML into the rule model of {@code rule} (records and sealed interfaces: searches,
 * value matchers, the condition AST) and reports problems with file, line and column; {@code load}
 * gathers files, folders and zips, applies filters and checks correlations; {@code mapping} says
 * which Sigma log sources an event belongs to and how rule fields map onto its fields; {@code eval}
 * holds the reference interpreter and the explainer; {@code compile} the compiled engine; {@code
 * pack} checks a rule pack against the test events its rules carry.
 */
package dev.rampart.sigma;
