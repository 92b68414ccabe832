/**
 * What the console and the API share about searching events: the time window a search covers
 * ({@link dev.rampart.server.search.SearchWindow}), and checking a search before it is saved
 * ({@link dev.rampart.server.search.SavedSearchService}).
 */
package dev.rampart.server.search;
