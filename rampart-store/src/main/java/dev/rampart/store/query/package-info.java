/**
 * The hunting query language (docs/query-language.md): {@link dev.rampart.store.query.QueryParser}
 * turns text into a {@link dev.rampart.store.query.Query}, or a {@link
 * dev.rampart.store.query.QueryException} with the column and what was expected there.
 */
package dev.rampart.store.query;
