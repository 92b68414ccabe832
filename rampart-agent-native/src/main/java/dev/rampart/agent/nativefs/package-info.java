/**
 * The agent's native access on Linux through the foreign function API (Java 22+): {@link
 * dev.rampart.agent.nativefs.LinuxNative}, registered as a {@link
 * dev.rampart.agent.nativeio.NativeAccess} service.
 */
package dev.rampart.agent.nativefs;
