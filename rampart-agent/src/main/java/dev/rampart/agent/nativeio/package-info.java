/**
 * The operating system beyond Java's file API, as a plug-in: {@link
 * dev.rampart.agent.nativeio.NativeAccess}.
 */
package dev.rampart.agent.nativeio;
