package io.berth.sandbox.ns;

/**
 * One validated sysctl: its canonical dotted {@code name}, the value to write, the namespace it
 * belongs to, and the file under {@code /proc/sys} that holds it.
 *
 * @param afterNetworkSetup true for per-interface network settings (for example
 *     {@code net.ipv4.conf.eth0.forwarding}): the interface exists only after CNI ADD
 */
public record Sysctl(String name, String value, NamespaceKind namespace, String procPath,
    boolean afterNetworkSetup) {}
