/**
 * The REST API: {@link dev.rampart.server.api.RestApi}, its route table and the OpenAPI document
 * written from it. docs/api.md shows it in use.
 */
package dev.rampart.server.api;
