/**
 * Patch tracking: assets, inventories over time, findings that open, stay, get fixed or come back,
 * deadlines per severity and KEV, exceptions and VEX, MTTR and trends: {@link
 * dev.rampart.vuln.track.VulnStore} in the case database.
 */
package dev.rampart.vuln.track;
