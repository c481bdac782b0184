package org.hematovision.report;

/**
 * What produced a report, printed on it and sent with it.
 *
 * @param device       the appliance's name (host name or configured name)
 * @param software     HematoVision version
 * @param modelName    classifier model name ({@code model.json} name)
 * @param modelVersion classifier model version
 */
public record DeviceInfo(String device, String software, String modelName, String modelVersion) {
}
