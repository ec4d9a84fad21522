package io.vigil.agents.ip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The interfaces and addresses of one network namespace, parsed from {@code ip -j addr show}.
 * Pure: parsing and look-ups only.
 */
public record AddressListing(List<Link> links) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public AddressListing {
    links = List.copyOf(links);
  }

  /** One interface: name, MAC (empty for lo/tunnels), administrative UP flag, its addresses. */
  public record Link(String name, Optional<String> mac, boolean up, List<Entry> addresses) {
    public Link {
      addresses = List.copyOf(addresses);
    }
  }

  /** One configured address and the DAD flags the kernel reports for it. */
  public record Entry(
      InetAddress address, int prefix, Optional<String> label, boolean tentative, boolean dadFailed) {}

  /** Where an address is configured: on which interface, with which entry. */
  public record Found(Link link, Entry entry) {}

  /** Parses the JSON array printed by {@code ip -j addr show}; bad input gets a clear error. */
  public static AddressListing parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("ip -j addr: output is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("ip -j addr: expected a JSON array of interfaces");
    }
    List<Link> links = new ArrayList<>();
    for (JsonNode l : root) {
      if (!l.hasNonNull("ifname")) {
        continue; // iproute2 emits empty objects for links filtered out by "dev"
      }
      boolean up = false;
      for (JsonNode f : l.path("flags")) {
        up |= "UP".equals(f.asText());
      }
      String mac = l.path("address").asText("");
      List<Entry> entries = new ArrayList<>();
      for (JsonNode a : l.path("addr_info")) {
        String family = a.path("family").asText();
        if (!family.equals("inet") && !family.equals("inet6")) {
          continue;
        }
        String local = a.path("local").asText("");
        InetAddress addr;
        try {
          addr = Addresses.parse(local).address();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "ip -j addr: interface " + l.path("ifname").asText() + " has unparsable address '" + local + "'");
        }
        Optional<String> label =
            a.hasNonNull("label") ? Optional.of(a.get("label").asText()) : Optional.empty();
        entries.add(new Entry(addr, a.path("prefixlen").asInt(-1), label,
            a.path("tentative").asBoolean(false), a.path("dadfailed").asBoolean(false)));
      }
      links.add(new Link(l.get("ifname").asText(),
          mac.isEmpty() || mac.equals("00:00:00:00:00:00") ? Optional.empty() : Optional.of(mac),
          up, entries));
    }
    return new AddressListing(links);
  }

  /** The interface with this name, if it exists. */
  public Optional<Link> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** Every place this address is configured (normally zero or one). */
  public List<Found> find(InetAddress address) {
    List<Found> out = new ArrayList<>();
    for (Link l : links) {
      for (Entry e : l.addresses()) {
        if (e.address().equals(address)) {
          out.add(new Found(l, e));
        }
      }
    }
    return out;
  }

  /** The address on the given interface, if configured there. */
  public Optional<Entry> on(String device, InetAddress address) {
    return find(address).stream()
        .filter(f -> f.link().name().equals(device))
        .map(Found::entry)
        .findFirst();
  }
}
