/**
 * The compiled engine: {@link dev.rampart.sigma.compile.SigmaEngine} compiles a rule set per log
 * source binding into shared indexes (exact values, one Aho-Corasick automaton per field, RE2/J
 * regexes, trigger lists), and {@link dev.rampart.sigma.compile.SigmaMatcher} matches events on one
 * thread without allocating.
 */
package dev.rampart.sigma.compile;
