package io.berth.bridge.spec;

/** The propagation type of the host mount a bind-mount source lives on (from /proc/self/mountinfo). */
public enum Propagation { PRIVATE, SLAVE, SHARED }
