package io.berth.bridge.monitor;

import io.berth.bridge.proc.ProcessIdentity;

/** A created (not yet started) container: its monitor and its init process. */
public record CreatedContainer(ProcessIdentity monitor, ProcessIdentity init) {}
