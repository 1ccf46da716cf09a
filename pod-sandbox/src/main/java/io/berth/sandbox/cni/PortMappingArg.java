package io.berth.sandbox.cni;

/**
 * One entry of the {@code portMappings} capability argument (CNI CONVENTIONS.md): protocol is
 * lower case ("tcp", "udp", "sctp"); an empty hostIp means all addresses.
 */
public record PortMappingArg(int hostPort, int containerPort, String protocol, String hostIp) {}
