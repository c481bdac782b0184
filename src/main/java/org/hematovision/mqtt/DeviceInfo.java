package org.hematovision.mqtt;

import java.util.Objects;

/**
 * What the birth message tells the dashboard about this device.
 *
 * @param softwareVersion HematoVision version
 * @param modelName       classifier bundle name
 * @param modelVersion    classifier bundle version (or checksum)
 * @param configDigest    digest of the effective configuration (e.g. SHA-256 hex), so a fleet view spots drift
 */
public record DeviceInfo(String softwareVersion, String modelName, String modelVersion, String configDigest) {

    public DeviceInfo {
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(configDigest, "configDigest");
    }
}
