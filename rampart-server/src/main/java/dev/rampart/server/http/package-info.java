/** What every HTTP face of the server shares: {@link dev.rampart.server.http.Statuses}. */
package dev.rampart.server.http;
