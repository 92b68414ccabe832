/**
 * Opening inputs ({@link dev.rampart.core.io.InputFiles}: gzip and zstd by magic bytes) and
 * reporting what is wrong with them ({@link dev.rampart.core.io.Problem}, collected by {@link
 * dev.rampart.core.io.Problems}).
 */
package dev.rampart.core.io;
