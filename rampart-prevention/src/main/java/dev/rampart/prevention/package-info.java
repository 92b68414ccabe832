/**
 * Preventive controls. Entry point: {@link dev.rampart.prevention.identity.Directory} (people and
 * accounts imported from CSV, LDIF and IdP JSON by {@link
 * dev.rampart.prevention.identity.IdentityReader}, merged by configurable keys; accounts in events
 * linked to people). Beside it: {@link dev.rampart.prevention.reviews.AccessReviews} (campaigns
 * that confirm or revoke privileged memberships), {@link dev.rampart.prevention.training.Awareness}
 * (training and phishing-simulation results, rates, overdue lists) and {@link
 * dev.rampart.prevention.risk.IdentityRisk} (a per-person score with its reasons).
 */
package dev.rampart.prevention;
