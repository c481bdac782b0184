package org.hematovision.segment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hematovision.config.ConfigException;
import org.junit.jupiter.api.Test;

class SegmenterConfigTest {

    @Test
    void rejectsOutOfRangeNamingKeyAndAllowedValues() {
        SegmenterConfig d = SegmenterConfig.defaults();
        ConfigException e = assertThrows(ConfigException.class, () -> new SegmenterConfig(d.redCellDiameterMicrons(),
                d.minRedCellsForScale(), d.fallbackRedCellFraction(), d.nucleusContrast(), d.minNucleusArea(),
                d.maxNucleusArea(), d.maxPlateletArea(), d.lobeGap(), d.maxNucleusExtent(), d.cytoplasmBlueness(), d.cytoplasmReach(), d.cytoplasmMargin(), 1.5,
                d.slideScaleMinFields(), d.slideScaleTolerance()));
        assertTrue(e.getMessage().startsWith("segment.minVisibleFraction: 1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: 0.0..1.0"), e.getMessage());
    }

    @Test
    void plateletLimitMustStayBelowNucleusLimit() {
        SegmenterConfig d = SegmenterConfig.defaults();
        ConfigException e = assertThrows(ConfigException.class, () -> new SegmenterConfig(d.redCellDiameterMicrons(),
                d.minRedCellsForScale(), d.fallbackRedCellFraction(), d.nucleusContrast(), 0.2, d.maxNucleusArea(),
                0.3, d.lobeGap(), d.maxNucleusExtent(), d.cytoplasmBlueness(), d.cytoplasmReach(), d.cytoplasmMargin(), d.minVisibleFraction(),
                d.slideScaleMinFields(), d.slideScaleTolerance()));
        assertTrue(e.key().equals("segment.maxPlateletArea"), e.getMessage());
    }
}
