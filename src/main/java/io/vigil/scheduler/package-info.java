/**
 * The scheduler: a pure, deterministic function (configuration, status, now) to transition
 * (placement of every resource instance and an ordered action graph). Depends on model and status only.
 */
package io.vigil.scheduler;
