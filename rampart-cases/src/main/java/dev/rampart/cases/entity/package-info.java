/**
 * Entities: the hosts, users and addresses alerts and incidents are about. {@link
 * dev.rampart.cases.entity.EntityKind} names the column each kind is matched on; {@code
 * AlertQueue.about} and {@code CaseStore.incidentsAbout} answer an entity page's questions.
 */
package dev.rampart.cases.entity;
