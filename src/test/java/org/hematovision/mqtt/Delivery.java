package org.hematovision.mqtt;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a subscriber made of one device's data messages after dropping duplicates by message id,
 * as the dashboard does.
 *
 * @param unique      data messages kept, by seq (first copy)
 * @param duplicates  copies dropped because their message id was seen before
 * @param inOrder     the kept messages arrived in increasing seq order
 * @param idConflicts seqs that arrived under two different message ids (would mean "sent as new")
 */
record Delivery(Map<Long, String> unique, int duplicates, boolean inOrder, int idConflicts) {

    static Delivery of(List<TestSubscriber.Received> received, String deviceId) {
        Map<Long, String> unique = new LinkedHashMap<>();
        Map<String, Long> seen = new HashMap<>();
        int dups = 0;
        int conflicts = 0;
        long last = 0;
        boolean inOrder = true;
        for (TestSubscriber.Received r : received) {
            if (!r.json().path("deviceId").asText().equals(deviceId) || r.topic().endsWith("/status")) {
                continue;
            }
            String id = r.json().get("messageId").asText();
            long seq = r.json().get("seq").asLong();
            if (seen.putIfAbsent(id, seq) != null) {
                dups++;
                continue;
            }
            if (unique.containsKey(seq)) {
                conflicts++;
                continue;
            }
            unique.put(seq, id);
            inOrder &= seq > last;
            last = Math.max(last, seq);
        }
        return new Delivery(unique, dups, inOrder, conflicts);
    }

    /** Every seq in {@code 1..last} present. */
    boolean complete(long last) {
        for (long s = 1; s <= last; s++) {
            if (!unique.containsKey(s)) {
                return false;
            }
        }
        return true;
    }

    long missing(long last) {
        long n = 0;
        for (long s = 1; s <= last; s++) {
            n += unique.containsKey(s) ? 0 : 1;
        }
        return n;
    }
}
