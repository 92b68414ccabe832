/**
 * Threat intelligence: indicators of compromise from STIX 2.1, MISP and CSV feeds, held in a
 * compact index for matching every event. Entry point: {@link dev.rampart.intel.index.IntelIndex};
 * feeds are read by {@link dev.rampart.intel.feed.Feeds}.
 */
package dev.rampart.intel;
