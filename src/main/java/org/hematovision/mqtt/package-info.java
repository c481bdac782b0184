/**
 * MQTT sink of the appliance, offline first.
 *
 * <p>{@link org.hematovision.mqtt.MqttPublisher} (a {@code SampleListener}) turns sample events into
 * JSON messages and appends each to the durable {@link org.hematovision.mqtt.outbox.Outbox} on the
 * pipeline thread; {@code MqttLink} (one background thread, Paho {@code MqttAsyncClient}) connects
 * with backoff and jitter, publishes the birth status, replays the outbox in order with QoS 1 and
 * removes a message only on PUBACK. {@link org.hematovision.mqtt.EmbeddedBroker} is the in-process
 * Moquette broker of the zero-setup default; {@code dashboard} holds the reference subscriber.
 * Topics and payloads: {@code docs/mqtt.md}.
 */
package org.hematovision.mqtt;
