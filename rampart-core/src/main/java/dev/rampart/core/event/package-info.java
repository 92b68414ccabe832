/**
 * The event model: {@link dev.rampart.core.event.Event} (column-wise, reusable), typed {@link
 * dev.rampart.core.event.Value}s, the {@link dev.rampart.core.event.FieldNames} symbol table, and
 * nanosecond UTC {@link dev.rampart.core.event.Timestamps}. See docs/schema.md.
 */
package dev.rampart.core.event;
