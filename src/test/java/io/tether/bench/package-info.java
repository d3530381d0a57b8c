/**
 * The benchmark harness ({@code ./mvnw -Pbench verify}): the packaged portal, agents, CLIs and a
 * device simulator as separate processes on loopback, each figure printed next to a baseline
 * measured in the same run. Classes named {@code *Bench} run only under {@code -Pbench}.
 */
package io.tether.bench;
