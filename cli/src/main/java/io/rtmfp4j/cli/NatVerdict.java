package io.rtmfp4j.cli;

import java.util.Map;

/**
 * What {@code rtmfp nat-check} makes of a connectivity check's results (the fields of
 * {@code NetConnection.ConnectivityCheck.Results}, docs/nat.md): the NAT's mapping and filtering
 * behaviour in RFC 4787's terms, and which peers a direct session is likely with. The pairings
 * follow the success matrix measured in the NAT lab (docs/nat.md).
 *
 * @param nat        whether a NAT (or firewall that translates) stands between the client and the server
 * @param mapping    "endpoint-independent", "endpoint-dependent" or "unknown" (no introduction probe)
 * @param filtering  "endpoint-independent", "address-dependent", "address-and-port-dependent", or
 *                   "address-dependent or looser" when the server has no second address
 * @param p2p        "any peer", "most peers" or "few peers"
 * @param advice     one sentence for the user
 */
record NatVerdict(boolean nat, String mapping, String filtering, String p2p, String advice) {
    static final String INDEPENDENT = "endpoint-independent";
    static final String DEPENDENT = "endpoint-dependent";
    static final String ADDRESS = "address-dependent";
    static final String ADDRESS_AND_PORT = "address-and-port-dependent";
    static final String UNKNOWN = "unknown";

    /** The verdict on {@code results}, the info object of the Results status event. */
    static NatVerdict of(Map<String, Object> results) {
        boolean nat = !Boolean.TRUE.equals(results.get("publicAddressIsLocal"));
        Object introduced = results.get("sendAfterIntroductionAllowed");
        String mapping;
        if (!(introduced instanceof Boolean)) {
            mapping = UNKNOWN;
        } else if (Boolean.TRUE.equals(introduced) && Boolean.TRUE.equals(results.get("sendAfterIntroductionPreservesSourcePort"))
                && Boolean.TRUE.equals(results.get("sendAfterIntroductionPreservesSourceAddress"))) {
            mapping = INDEPENDENT;
        } else {
            mapping = DEPENDENT;
        }
        Object otherAddress = results.get("receiveDifferentAddressDifferentPortAllowed");
        boolean otherPort = Boolean.TRUE.equals(results.get("receiveSameAddressDifferentPortAllowed"));
        String filtering;
        if (Boolean.TRUE.equals(otherAddress)) {
            filtering = INDEPENDENT;
        } else if (otherPort) {
            filtering = otherAddress == null ? "address-dependent or looser" : ADDRESS;
        } else {
            filtering = ADDRESS_AND_PORT;
        }
        if (!nat && filtering.equals(INDEPENDENT)) {
            return new NatVerdict(false, mapping, filtering, "any peer",
                    "no NAT and nothing filtered: peers reach you directly; you can reach almost any peer.");
        }
        if (mapping.equals(DEPENDENT)) {
            // A new mapping per destination: a peer's answer comes to a port it never sent to.
            return new NatVerdict(nat, mapping, filtering, "few peers",
                    "a symmetric NAT: direct sessions only with peers whose NATs filter by address at most; with "
                            + "others (port-restricted and symmetric NATs) the server's relay will be needed.");
        }
        if (filtering.equals(INDEPENDENT) || (mapping.equals(INDEPENDENT) && !filtering.equals(ADDRESS_AND_PORT))) {
            return new NatVerdict(nat, mapping, filtering, "any peer",
                    "direct sessions are likely with any peer, even one behind a symmetric NAT.");
        }
        return new NatVerdict(nat, mapping, filtering, "most peers",
                "direct sessions are likely with most peers; with peers behind symmetric NATs the server's relay "
                        + "will be needed.");
    }
}
