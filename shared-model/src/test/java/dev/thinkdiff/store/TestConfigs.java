package dev.thinkdiff.store;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.Map;

/**
 * Builds a {@link StoreConfig} the way Quarkus or {@code ConfigProvider.getConfig()} does: system properties as a
 * source and the default interceptors, which expand {@code ${user.home}} in defaults.
 */
final class TestConfigs {

    private static final int ABOVE_SYSTEM_SOURCES = 500;

    private TestConfigs() {
    }

    static StoreConfig storeConfig(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(StoreConfig.class)
                .addSystemSources()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", ABOVE_SYSTEM_SOURCES))
                .build();
        return config.getConfigMapping(StoreConfig.class);
    }
}
