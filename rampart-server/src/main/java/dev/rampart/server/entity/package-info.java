/**
 * Entity pages: one host or user as every part of Rampart knows it. The entry point is {@link
 * dev.rampart.server.entity.EntityProfiles}; the console's {@code /entities/host/NAME} and the
 * API's {@code GET /api/entities/host/NAME} show what it gives.
 */
package dev.rampart.server.entity;
