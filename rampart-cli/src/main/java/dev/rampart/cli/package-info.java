/**
 * The {@code rampart} command line. {@link dev.rampart.cli.Main} is the entry point; each command
 * lives in its feature package ({@code events}, {@code simulate}, {@code bench}) and calls the
 * owning module's entry point. Conventions shared by all commands: {@code --data DIR}, {@code
 * --json} for machine-readable output, exit codes in {@link dev.rampart.cli.ExitCodes}, progress on
 * a terminal via {@link dev.rampart.cli.Progress}.
 */
package dev.rampart.cli;
