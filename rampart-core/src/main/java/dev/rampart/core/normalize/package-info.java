/**
 * Normalizers bring source shapes to Rampart's schema: native names kept, ECS added beside them.
 * {@link dev.rampart.core.normalize.Normalizers} is the registry.
 */
package dev.rampart.core.normalize;
