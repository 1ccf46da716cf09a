package io.berth.sandbox.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One CNI network configuration list: the network name, the CNI version the runtime speaks to every
 * plugin in it, and the plugin configurations in execution order. A single-plugin {@code .conf}
 * file is loaded as a list of one (as libcni's ConfListFromConf does).
 *
 * @param source the file it came from, for messages
 * @param raw the whole document as read; cached with each ADD so DEL runs with the same config
 */
public record NetworkConfigList(String name, String cniVersion, boolean disableCheck,
    List<ObjectNode> plugins, String source, ObjectNode raw) {
  public NetworkConfigList {
    plugins = List.copyOf(plugins);
  }
}
