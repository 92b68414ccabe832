/**
 * The spool's page-cache advice on Linux through the foreign function API (Java 22+): {@link
 * dev.rampart.ingest.pagecache.FadvisePageCache}, registered as a {@link
 * dev.rampart.ingest.spool.PageCache} service.
 */
package dev.rampart.ingest.pagecache;
