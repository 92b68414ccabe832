/**
 * Access control of Rampart itself: users with Argon2id passwords and lockout, roles built from
 * permissions (admin, analyst, viewer, and custom ones), API tokens stored as hashes with scopes
 * and expiry, every change in the hash-chained audit trail. Entry point: {@link
 * dev.rampart.auth.AccessStore}.
 */
package dev.rampart.auth;
