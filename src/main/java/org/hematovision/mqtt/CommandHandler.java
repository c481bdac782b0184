package org.hematovision.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.hematovision.sample.SampleControl;
import org.tinylog.Logger;

/**
 * Remote commands on {@code <prefix>/<deviceId>/command}. A payload is accepted only when it is exactly
 * {@code {"schema":1,"command":"new-sample"|"finish"}} plus an optional {@code "messageId"} (UUID) used
 * to ignore repeats; anything else, and any retained message (it would fire again on every
 * reconnect), is ignored with a log line.
 */
final class CommandHandler {

    static final int MAX_PAYLOAD = 512;
    private static final Set<String> ALLOWED_KEYS = Set.of("schema", "command", "messageId");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int REMEMBERED_IDS = 256;

    private final SampleControl control;
    private final Set<String> seen = new LinkedHashSet<>();

    CommandHandler(SampleControl control) {
        this.control = control;
    }

    /** @return the command carried out, or null when the message was ignored */
    synchronized String handle(byte[] payload, boolean retained) {
        String why = validate(payload, retained);
        if (why != null) {
            Logger.warn("MQTT command ignored: {}", why);
            return null;
        }
        JsonNode n = parse(payload);
        if (n.has("messageId")) {
            String id = n.get("messageId").textValue();
            if (!seen.add(id)) {
                Logger.info("MQTT command {} ignored: already carried out", id);
                return null;
            }
            if (seen.size() > REMEMBERED_IDS) {
                seen.remove(seen.iterator().next());
            }
        }
        String command = n.get("command").textValue();
        Logger.info("MQTT command: {}", command);
        if (command.equals("new-sample")) {
            control.newSample();
        } else {
            control.finishOrAcknowledge();
        }
        return command;
    }

    private static String validate(byte[] payload, boolean retained) {
        if (retained) {
            return "retained message (commands must not be retained)";
        }
        if (payload.length > MAX_PAYLOAD) {
            return "payload of " + payload.length + " bytes (allowed: <= " + MAX_PAYLOAD + ")";
        }
        JsonNode n = parse(payload);
        if (n == null || !n.isObject()) {
            return "not a JSON object";
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ALLOWED_KEYS.contains(k)) {
                return "unknown key \"" + k + "\" (allowed: schema, command, messageId)";
            }
        }
        JsonNode schema = n.get("schema");
        if (schema == null || !schema.isInt() || schema.intValue() != Payloads.SCHEMA) {
            return "schema must be " + Payloads.SCHEMA;
        }
        JsonNode cmd = n.get("command");
        if (cmd == null || !cmd.isTextual() || !(cmd.textValue().equals("new-sample") || cmd.textValue().equals("finish"))) {
            return "command must be \"new-sample\" or \"finish\"";
        }
        JsonNode id = n.get("messageId");
        if (id != null && !(id.isTextual() && UUID.matcher(id.textValue()).matches())) {
            return "messageId must be a UUID";
        }
        return null;
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return Payloads.JSON.readTree(payload);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
