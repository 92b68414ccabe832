/**
 * Rule packs that carry their own test events: {@link dev.rampart.sigma.pack.RulePackCheck} runs
 * every rule of a folder against the {@code <rule>.tests.json} beside it, through both the
 * reference interpreter and the compiled engine, and says which expectation failed and why.
 */
package dev.rampart.sigma.pack;
