/** What a host is and runs: {@link dev.rampart.agent.inventory.HostInventory}. */
package dev.rampart.agent.inventory;
